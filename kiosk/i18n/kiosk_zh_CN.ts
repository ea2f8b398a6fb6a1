<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ArrearsAgencyScreen</name>
    <message>
        <location filename="../../screens/arrears.py" line="28"/>
        <source>Arrears: choose the social insurance agency</source>
        <translation>社保费补缴：请选择社保经办机构</translation>
    </message>
    <message>
        <location filename="../../screens/arrears.py" line="30"/>
        <source>Your arrears were raised by more than one agency. Each agency&apos;s bills are paid apart.</source>
        <translation>您的补缴单据来自多个社保经办机构，请逐个机构缴纳。</translation>
    </message>
    <message>
        <location filename="../../screens/arrears.py" line="36"/>
        <source>Please choose the social insurance agency whose bills you want to pay.</source>
        <translation>请选择要缴费的社保经办机构。</translation>
    </message>
    <message>
        <location filename="../../screens/arrears.py" line="44"/>
        <source>{agency}
{count} bills, {total}</source>
        <translation>{agency}
共 {count} 笔，合计 {total}</translation>
    </message>
</context>
<context>
    <name>ArrearsBillsScreen</name>
    <message>
        <location filename="../../screens/arrears.py" line="63"/>
        <source>Arrears: choose the bill to pay</source>
        <translation>社保费补缴：请选择要缴费的单据</translation>
    </message>
</context>
<context>
    <name>Basket</name>
    <message>
        <location filename="../../screens/basket.py" line="34"/>
        <source>already paid</source>
        <translation>已缴费</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="35"/>
        <source>its payment period has closed</source>
        <translation>缴费期已结束</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="36"/>
        <source>the same item is in the basket twice</source>
        <translation>同一缴费项目重复加入</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="37"/>
        <source>the amount is no longer valid, please add it again</source>
        <translation>金额已失效，请重新加入</translation>
    </message>
    <message>
        <location filename="../../screens/basket_add.py" line="14"/>
        <source>Add to the basket, pay later</source>
        <translation>加入待缴清单</translation>
    </message>
    <message>
        <location filename="../../screens/basket_add.py" line="15"/>
        <source>The basket is full: at most 10 items can be paid at once.</source>
        <translation>待缴清单已满：一次最多缴纳10项。</translation>
    </message>
    <message>
        <location filename="../../screens/basket_add.py" line="16"/>
        <source>This item is in the basket already.</source>
        <translation>该项目已在待缴清单中。</translation>
    </message>
</context>
<context>
    <name>BasketCardScreen</name>
    <message>
        <location filename="../../screens/basket_card.py" line="33"/>
        <source>{count} item(s) in one payment</source>
        <translation>共 {count} 项，一次支付</translation>
    </message>
    <message>
        <location filename="../../screens/basket_card.py" line="44"/>
        <source>Your payment was received and will be recorded shortly.</source>
        <translation>已收到您的付款，稍后将完成登记。</translation>
    </message>
</context>
<context>
    <name>BasketDoneScreen</name>
    <message>
        <location filename="../../screens/basket.py" line="343"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="351"/>
        <source>The payment has ended. Please check which items were paid.</source>
        <translation>支付已结束，请核对已缴费的项目。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="364"/>
        <source>Paid: {amount}</source>
        <translation>已缴费：{amount}</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="367"/>
        <source>{name}  {item}  {period}  {amount}</source>
        <translation>{name}  {item}  {period}  {amount}</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="377"/>
        <source>Item {n} had already been paid: its {amount} is being returned to you.</source>
        <translation>第{n}项已由他处缴纳，该项{amount}正在原路退回。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="386"/>
        <source>Please take your receipt.</source>
        <translation>请取走您的缴费小票。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="388"/>
        <source>The receipt could not be printed. You can reprint it from Query.</source>
        <translation>小票未能打印，可在“缴费信息查询”中补打。</translation>
    </message>
</context>
<context>
    <name>BasketQrScreen</name>
    <message>
        <location filename="../../screens/basket.py" line="216"/>
        <source>Cancel payment</source>
        <translation>取消支付</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="248"/>
        <source>Scan the code with Alipay, WeChat Pay or UnionPay QuickPass.</source>
        <translation>请使用支付宝、微信或云闪付扫码支付。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="254"/>
        <source>Scan with Alipay, WeChat Pay or UnionPay QuickPass</source>
        <translation>请使用支付宝、微信或云闪付扫码</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="256"/>
        <source>Scan with {app}</source>
        <translation>请使用{app}扫码</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="258"/>
        <source>Total: {amount}</source>
        <translation>合计：{amount}</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="283"/>
        <source>Preparing the payment code…</source>
        <translation>正在生成支付二维码…</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="312"/>
        <source>The kiosk cannot take payments now. No money was taken.</source>
        <translation>本机暂不能收款，未扣款。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="284"/>
        <source>Waiting for the payment…</source>
        <translation>等待支付…</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="314"/>
        <source>No money was taken.</source>
        <translation>未扣款。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="285"/>
        <source>Paid. Recording the payment…</source>
        <translation>已支付，正在登记缴费…</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="319"/>
        <source>The payment arrived after the code was closed, so it was not recorded. It has been returned to you.</source>
        <translation>付款在二维码关闭后才到账，本次缴费未入账，款项已原路退回给您。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="322"/>
        <source>Your payment was received and will be recorded shortly. Please keep your phone&apos;s record.</source>
        <translation>已收到您的付款，稍后将完成登记。请保留手机上的支付记录。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="323"/>
        <source>The payment was cancelled. No money was taken.</source>
        <translation>支付已取消，未扣款。</translation>
    </message>
</context>
<context>
    <name>BasketScreen</name>
    <message>
        <location filename="../../screens/basket.py" line="62"/>
        <source>Add more for me</source>
        <translation>继续为本人添加</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="64"/>
        <source>Add for someone else</source>
        <translation>为他人添加</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="66"/>
        <source>Family members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="91"/>
        <source>Check the items to pay, then choose how to pay.</source>
        <translation>请核对待缴项目，然后选择支付方式。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="79"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="109"/>
        <source>{count} item(s), total {amount}</source>
        <translation>共 {count} 项，合计 {amount}</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="117"/>
        <source>The basket is full: at most 10 items can be paid at once.</source>
        <translation>待缴清单已满：一次最多缴纳10项。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="121"/>
        <source>{n}. {name}  {item}  {period}  {amount}</source>
        <translation>{n}. {name}  {item}  {period}  {amount}</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="164"/>
        <source>Item {n} cannot be paid: {why}.</source>
        <translation>第{n}项不能缴纳：{why}。</translation>
    </message>
    <message>
        <location filename="../../screens/basket.py" line="169"/>
        <source>Remove it to pay the others. No money was taken.</source>
        <translation>请移除该项后缴纳其他项目。未扣款。</translation>
    </message>
</context>
<context>
    <name>Bills</name>
    <message>
        <location filename="../../screens/arrears_bills.py" line="23"/>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../screens/arrears_bills.py" line="24"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../../screens/arrears_bills.py" line="25"/>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} 页，共 {pages} 页</translation>
    </message>
    <message>
        <location filename="../../screens/arrears_bills.py" line="26"/>
        <source>Period: {period}    {agency}</source>
        <translation>费款所属期：{period}    {agency}</translation>
    </message>
    <message>
        <location filename="../../screens/arrears_bills.py" line="27"/>
        <source>{amount}        Tap to choose ›</source>
        <translation>{amount}        点击选择 ›</translation>
    </message>
    <message>
        <location filename="../../screens/arrears_bills.py" line="28"/>
        <source>Please choose the bill you want to pay. Each bill is paid on its own.</source>
        <translation>请选择要缴费的单据，每次缴纳一笔。</translation>
    </message>
    <message>
        <location filename="../../screens/arrears_bills.py" line="29"/>
        <source>You have no bills to pay.</source>
        <translation>您没有待缴费的单据。</translation>
    </message>
    <message>
        <location filename="../../screens/arrears_bills.py" line="30"/>
        <source>{count} bills, {total} in all. Each bill is paid on its own: choose one.</source>
        <translation>共 {count} 笔，合计 {total}。每次缴纳一笔单据，请选择一笔。</translation>
    </message>
    <message>
        <location filename="../../screens/arrears_bills.py" line="31"/>
        <source>{agency}: {count} bills, {total} in all. Each bill is paid on its own.</source>
        <translation>{agency}：共 {count} 笔，合计 {total}。每次缴纳一笔单据。</translation>
    </message>
</context>
<context>
    <name>CardPayScreen</name>
    <message>
        <location filename="../../screens/card_pay.py" line="56"/>
        <source>Cancel payment</source>
        <translation>取消支付</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="87"/>
        <source>Please insert your bank card, chip first, then enter your PIN on the PIN pad.</source>
        <translation>请插入银行卡（芯片朝前），然后在密码键盘上输入密码。</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="95"/>
        <source>Pay by bank card</source>
        <translation>刷卡支付</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="153"/>
        <source>Card payment is not available on this kiosk now. No money was taken.</source>
        <translation>本终端暂时无法刷卡支付，未扣取任何费用。</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="117"/>
        <source>Getting ready, please wait...</source>
        <translation>正在准备，请稍候……</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="118"/>
        <source>Please insert your bank card into the card slot, chip first.</source>
        <translation>请将银行卡插入插卡口（芯片朝前）。</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="119"/>
        <source>Reading your card...</source>
        <translation>正在读取银行卡……</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="155"/>
        <source>The bank card was taken out. No money was taken.</source>
        <translation>银行卡已拔出，本次未扣取任何费用。</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="130"/>
        <source>PIN: {stars}</source>
        <translation>密码：{stars}</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="120"/>
        <source>Please enter your PIN on the PIN pad and press Enter.</source>
        <translation>请在密码键盘上输入密码，并按“确认”键。</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="121"/>
        <source>Processing with your bank, please wait...</source>
        <translation>正在与银行交易，请稍候……</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="132"/>
        <source>Wrong PIN. Please enter it again.</source>
        <translation>密码错误，请重新输入。</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="160"/>
        <source>The payment could not be completed. Please ask staff for help: they can see whether money was taken from your card.</source>
        <translation>本次支付未能完成。请联系工作人员，他们可以查询您的银行卡是否被扣款。</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="163"/>
        <source>The card payment could not be made. No money was taken.</source>
        <translation>刷卡支付未能完成，本次未扣取任何费用。</translation>
    </message>
    <message>
        <location filename="../../screens/card_pay.py" line="167"/>
        <source>No money was taken.</source>
        <translation>未扣取任何费用。</translation>
    </message>
</context>
<context>
    <name>CertificateDoneScreen</name>
    <message>
        <location filename="../../screens/certificates.py" line="609"/>
        <location filename="../../screens/certificates.py" line="633"/>
        <source>Printed. Please take your certificate.</source>
        <translation>打印成功，请取走您的证明。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="610"/>
        <source>It is in the tray below the screen.</source>
        <translation>证明在屏幕下方的出纸口。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="614"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="616"/>
        <source>Another certificate</source>
        <translation>再开具一份证明</translation>
    </message>
</context>
<context>
    <name>CertificateMenuScreen</name>
    <message>
        <location filename="../../screens/certificates.py" line="73"/>
        <source>Which certificate do you need?</source>
        <translation>请选择要开具的证明</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="75"/>
        <source>Tax payment certificate
(税收完税证明)</source>
        <translation>开具税收完税证明</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="77"/>
        <source>Social insurance payment certificate
(缴费证明)</source>
        <translation>开具社会保险费缴费证明</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="79"/>
        <source>Certificates already issued
(reprint)</source>
        <translation>已开具证明
（补打）</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="85"/>
        <source>Please choose the tax payment certificate or the payment certificate.</source>
        <translation>请选择开具税收完税证明或缴费证明。</translation>
    </message>
</context>
<context>
    <name>CertificatePreviewScreen</name>
    <message>
        <location filename="../../screens/certificates.py" line="479"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="494"/>
        <source>Please check your certificate, then press print.</source>
        <translation>请核对证明信息，确认无误后点击打印。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="474"/>
        <source>Smaller</source>
        <translation>缩小</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="453"/>
        <source>▲ Up</source>
        <translation>▲ 上移</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="455"/>
        <source>▼ Down</source>
        <translation>▼ 下移</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="477"/>
        <source>Larger</source>
        <translation>放大</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="507"/>
        <source>This certificate was printed before: this print is marked 补打 (reprint).</source>
        <translation>这些记录已开具过证明，本次打印为补打。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="515"/>
        <source>Please check your certificate. Number: {number}, {pages} pages.</source>
        <translation>请核对您的证明。编号：{number}，共 {pages} 页。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="540"/>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} 页，共 {pages} 页</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="543"/>
        <source>Size {percent}%</source>
        <translation>大小 {percent}%</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="575"/>
        <source>The certificate printer is not available. Please ask staff for help.</source>
        <translation>证明打印机暂不可用，请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="582"/>
        <source>Printing... please wait.</source>
        <translation>正在打印，请稍候……</translation>
    </message>
</context>
<context>
    <name>CheckoutMethodScreen</name>
    <message>
        <location filename="../../screens/pay_method.py" line="20"/>
        <source>Total: {amount}</source>
        <translation>合计：{amount}</translation>
    </message>
    <message>
        <location filename="../../screens/pay_method.py" line="21"/>
        <source>Please check the payment, then choose how to pay</source>
        <translation>请核对缴费信息，然后选择缴费方式</translation>
    </message>
    <message>
        <location filename="../../screens/pay_method.py" line="22"/>
        <source>Please check what you pay and the total, then choose Alipay, bank card or WeChat Pay.</source>
        <translation>请核对缴费信息和合计金额，然后选择支付宝、刷卡支付或微信支付。</translation>
    </message>
</context>
<context>
    <name>Choice</name>
    <message>
        <location filename="../../screens/base.py" line="35"/>
        <source>Chosen</source>
        <translation>已选</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <location filename="../../screens/base.py" line="31"/>
        <location filename="../../screens/cert_period.py" line="32"/>
        <source>{year}-{month:02d}</source>
        <translation>{year}年{month}月</translation>
    </message>
    <message>
        <location filename="../../screens/base.py" line="34"/>
        <location filename="../../screens/cert_period.py" line="38"/>
        <source>{start} to {end}</source>
        <translation>{start}至{end}</translation>
    </message>
    <message>
        <location filename="../../screens/base.py" line="33"/>
        <location filename="../../screens/cert_period.py" line="44"/>
        <source>{year}-{month:02d}-{day:02d}</source>
        <translation>{year}年{month}月{day}日</translation>
    </message>
    <message>
        <location filename="../../screens/base.py" line="32"/>
        <location filename="../../screens/cert_period.py" line="50"/>
        <source>Year {year}</source>
        <translation>{year}年</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="56"/>
        <source>{box} chosen</source>
        <translation>{box} 已选</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="58"/>
        <source>{box} not chosen</source>
        <translation>{box} 未选</translation>
    </message>
</context>
<context>
    <name>DeviceMessage</name>
    <message>
        <location filename="../../drivers/base.py" line="154"/>
        <source>The device is not available. Please ask staff for help.</source>
        <translation>设备暂不可用，请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../card_checkout.py" line="35"/>
        <source>Your payment was taken by the bank and will be recorded in the fee system shortly. You can print the receipt later under Payment records.</source>
        <translation>银行已扣款，缴费信息将稍后入库。您可稍后在“社保缴费信息查询”中补打缴费小票。</translation>
    </message>
    <message>
        <location filename="../card_checkout.py" line="40"/>
        <source>The fee system did not accept the payment, so the bank has given your money back.</source>
        <translation>缴费系统未受理本次缴费，银行已将款项退回。</translation>
    </message>
    <message>
        <location filename="../card_checkout.py" line="45"/>
        <source>The fee system did not accept the payment. Your money is being returned to your card.</source>
        <translation>缴费系统未受理本次缴费，款项正在退回您的银行卡。</translation>
    </message>
    <message>
        <location filename="../card_checkout.py" line="48"/>
        <source>This period had already been paid, so this payment was not recorded. The bank has given your money back.</source>
        <translation>该期间已缴费，本次缴费未入账，银行已将款项退回。</translation>
    </message>
    <message>
        <location filename="../card_checkout.py" line="52"/>
        <source>This period had already been paid, so this payment was not recorded. Your money is being returned to your card.</source>
        <translation>该期间已缴费，本次缴费未入账，款项正在退回您的银行卡。</translation>
    </message>
    <message>
        <location filename="../checkout.py" line="33"/>
        <source>This period had already been paid, so this payment was not recorded. Your money has been returned: nothing was taken.</source>
        <translation>该期间已缴费，本次缴费未入账。款项已原路退回，未扣取任何费用。</translation>
    </message>
    <message>
        <location filename="../checkout.py" line="38"/>
        <source>This machine cannot take payments at the moment. No money was taken. Please use another self-service machine or the service window.</source>
        <translation>本机暂时无法收款，未扣任何款项。请使用其他自助终端或前往服务窗口办理。</translation>
    </message>
    <message>
        <location filename="../checkout.py" line="43"/>
        <source>This machine could not record the payment, so it was stopped. No money was taken.</source>
        <translation>本机无法记录本次缴费，已停止办理，未扣任何款项。</translation>
    </message>
    <message>
        <location filename="../checkout.py" line="46"/>
        <source>This machine could not record the payment, so the bank has given your money back.</source>
        <translation>本机无法记录本次缴费，银行已将款项退回您的银行卡。</translation>
    </message>
    <message>
        <location filename="../checkout.py" line="49"/>
        <source>This machine could not record the payment. Money may have been taken from your card: a technician will settle it and return any money taken.</source>
        <translation>本机无法记录本次缴费。您的银行卡可能已被扣款：工作人员将处理，已扣款项将退回。</translation>
    </message>
    <message>
        <location filename="../checkout.py" line="54"/>
        <source>Your payment was received, but this machine could not record it. A technician will settle it: it will be recorded in the fee system or your money returned.</source>
        <translation>您的款项已收到，但本机无法记录。工作人员将处理：款项将记入缴费系统，或退还给您。</translation>
    </message>
    <message>
        <location filename="../identity.py" line="32"/>
        <source>The ID number read from this card is not valid. Please lay the card again, or ask at the service window.</source>
        <translation>从此证件读出的证件号码无效，请重新放置证件，或到服务窗口咨询。</translation>
    </message>
    <message>
        <location filename="../payments/emv_terminal.py" line="42"/>
        <source>Your card declined this payment. No money was taken. Please use another card or pay by QR code.</source>
        <translation>您的银行卡拒绝了本次支付，未扣取任何费用。请换一张卡，或使用扫码支付。</translation>
    </message>
    <message>
        <location filename="../payments/emv_terminal.py" line="45"/>
        <source>The chip on this card could not complete the payment, and this kiosk cannot use the magnetic stripe. No money was taken. Please use another card or pay by Alipay or WeChat Pay.</source>
        <translation>这张卡的芯片无法完成支付，本机不支持磁条刷卡。未扣取任何费用。请换一张卡，或使用支付宝、微信支付。</translation>
    </message>
    <message>
        <location filename="../payments/emv_terminal.py" line="50"/>
        <source>Your card did not accept the bank&apos;s approval, so the payment was cancelled. No money was taken.</source>
        <translation>您的银行卡未能确认银行的授权，本次支付已取消，您的银行卡未被扣款。</translation>
    </message>
    <message>
        <location filename="../payments/emv_terminal.py" line="53"/>
        <source>Your card did not accept the bank&apos;s approval, so the payment was cancelled. Your money is being returned to your card.</source>
        <translation>您的银行卡未能确认银行的授权，本次支付已取消，款项正在退回您的银行卡。</translation>
    </message>
    <message>
        <location filename="../payments/emv_terminal.py" line="58"/>
        <source>The card was taken out before the payment finished, so it was cancelled. No money was taken.</source>
        <translation>支付完成前银行卡被取出，本次支付已取消，您的银行卡未被扣款。</translation>
    </message>
    <message>
        <location filename="../payments/emv_terminal.py" line="61"/>
        <source>The card was taken out before the payment finished, so it was cancelled. Your money is being returned to your card.</source>
        <translation>支付完成前银行卡被取出，本次支付已取消，款项正在退回您的银行卡。</translation>
    </message>
</context>
<context>
    <name>Domain</name>
    <message>
        <location filename="../domain/items.py" line="44"/>
        <source>Flexible employment pension insurance</source>
        <translation>灵活就业人员基本养老保险</translation>
    </message>
    <message>
        <location filename="../domain/items.py" line="45"/>
        <source>Flexible employment medical insurance</source>
        <translation>灵活就业人员基本医疗保险</translation>
    </message>
    <message>
        <location filename="../domain/items.py" line="46"/>
        <source>Resident basic pension insurance</source>
        <translation>城乡居民基本养老保险</translation>
    </message>
    <message>
        <location filename="../domain/items.py" line="47"/>
        <source>Resident basic medical insurance</source>
        <translation>城乡居民基本医疗保险</translation>
    </message>
    <message>
        <location filename="../domain/items.py" line="48"/>
        <source>Special payment</source>
        <translation>特殊缴费</translation>
    </message>
    <message>
        <location filename="../domain/items.py" line="82"/>
        <source>Bank card</source>
        <translation>刷卡支付</translation>
    </message>
    <message>
        <location filename="../domain/items.py" line="83"/>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <location filename="../domain/items.py" line="84"/>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <location filename="../domain/items.py" line="85"/>
        <source>One QR code (Alipay, WeChat Pay, UnionPay)</source>
        <translation>聚合支付（支付宝、微信、云闪付）</translation>
    </message>
    <message>
        <location filename="../query.py" line="45"/>
        <source>Paid</source>
        <translation>已缴费</translation>
    </message>
    <message>
        <location filename="../query.py" line="46"/>
        <source>Not paid</source>
        <translation>未缴费</translation>
    </message>
</context>
<context>
    <name>DownloadQr</name>
    <message>
        <location filename="../../screens/certificates.py" line="52"/>
        <source>Scan to download it to your phone</source>
        <translation>手机扫码下载电子件</translation>
    </message>
</context>
<context>
    <name>FeeSystem</name>
    <message>
        <location filename="../feesystem/api.py" line="20"/>
        <source>The fee system cannot handle this request now.</source>
        <translation>缴费系统暂时无法办理此业务。</translation>
    </message>
    <message>
        <location filename="../feesystem/api.py" line="31"/>
        <source>No social insurance registration was found for this ID. Please ask at the service window.</source>
        <translation>未查询到您的社保参保登记信息，请到服务窗口咨询。</translation>
    </message>
    <message>
        <location filename="../feesystem/api.py" line="39"/>
        <source>This payment is not possible for you at present.</source>
        <translation>您目前不能办理此项缴费。</translation>
    </message>
    <message>
        <location filename="../feesystem/api.py" line="48"/>
        <source>This period has already been paid. The money of this payment is being returned.</source>
        <translation>该期间已缴费，本次所付款项正在原路退回。</translation>
    </message>
    <message>
        <location filename="../feesystem/api.py" line="67"/>
        <source>The fee system is not reachable at the moment. Please try again later.</source>
        <translation>暂时无法连接缴费系统，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../parties/feesystem/quotes.py" line="36"/>
        <source>This year has already been paid.</source>
        <translation>该年度已缴费。</translation>
    </message>
    <message>
        <location filename="../../parties/feesystem/people.py" line="125"/>
        <source>All months you can pay now are already paid.</source>
        <translation>您目前可缴的月份均已缴费。</translation>
    </message>
    <message>
        <location filename="../../parties/feesystem/people.py" line="170"/>
        <source>Arrears here are for urban and rural residents. Please use Special payment.</source>
        <translation>社保费补缴适用于城乡居民。灵活就业人员请使用特殊缴费。</translation>
    </message>
    <message>
        <location filename="../../parties/feesystem/quotes.py" line="83"/>
        <source>This bill has already been paid or is not yours.</source>
        <translation>该单据已缴费或不属于您。</translation>
    </message>
    <message>
        <location filename="../../parties/feesystem/qr_channel.py" line="51"/>
        <source>This period has already been paid. No money was taken.</source>
        <translation>该期间已缴费，未扣取任何费用。</translation>
    </message>
</context>
<context>
    <name>FlexibleBaseScreen</name>
    <message>
        <location filename="../../screens/flexible.py" line="151"/>
        <source>Choose or enter your contribution base</source>
        <translation>请选择或输入缴费基数</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="161"/>
        <source>Use the lowest base</source>
        <translation>按最低基数缴费</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="163"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="169"/>
        <source>Please enter your contribution base in yuan, within the range shown, then press confirm.</source>
        <translation>请在显示的范围内输入缴费基数（元），然后点击确认。</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="178"/>
        <source>Allowed: {low} to {high} per month</source>
        <translation>可选范围：每月 {low} 至 {high}</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="217"/>
        <source>Type the base in whole yuan.</source>
        <translation>请输入整数金额（元）。</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="219"/>
        <source>This is below the lowest base allowed.</source>
        <translation>低于最低缴费基数，请重新输入。</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="221"/>
        <source>This is above the highest base allowed.</source>
        <translation>高于最高缴费基数，请重新输入。</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="223"/>
        <source>Press confirm.</source>
        <translation>请点击确认。</translation>
    </message>
</context>
<context>
    <name>FlexiblePeriodScreen</name>
    <message>
        <location filename="../../screens/flexible.py" line="88"/>
        <source>Flexible employment pension: choose the months</source>
        <translation>养老保险费缴纳：请选择缴费起止时间</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="69"/>
        <source>From</source>
        <translation>起始月份</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="71"/>
        <source>To</source>
        <translation>截止月份</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="75"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="81"/>
        <source>Please choose the first and the last month you want to pay for.</source>
        <translation>请选择缴费起止月份。</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="86"/>
        <source>Flexible employment medical insurance: choose the months</source>
        <translation>基本医疗保险缴费：请选择缴费年月</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="95"/>
        <source>Looking up what you can pay...</source>
        <translation>正在查询可缴费信息……</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="117"/>
        <source>You can pay for {first} to {last}.</source>
        <translation>可缴费月份：{first} 至 {last}。</translation>
    </message>
</context>
<context>
    <name>FlexibleReviewScreen</name>
    <message>
        <location filename="../../screens/flexible.py" line="242"/>
        <source>Please check your payment</source>
        <translation>请核对缴费信息</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="251"/>
        <source>Start payment</source>
        <translation>开始缴费</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="257"/>
        <source>Please check the months, the base and the amount, then start the payment.</source>
        <translation>请核对缴费月份、基数和金额，确认后点击开始缴费。</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="277"/>
        <source>{item}
{period}: {months} months × base {base} × {rate}%</source>
        <translation>{item}
{period}：{months} 个月 × 基数 {base} × {rate}%</translation>
    </message>
    <message>
        <location filename="../../screens/flexible.py" line="285"/>
        <source>Amount: {amount}</source>
        <translation>应缴金额：{amount}</translation>
    </message>
</context>
<context>
    <name>Flow</name>
    <message>
        <location filename="../flow.py" line="157"/>
        <source>Welcome</source>
        <translation>欢迎</translation>
    </message>
    <message>
        <location filename="../flow.py" line="159"/>
        <source>Choose a service</source>
        <translation>选择业务</translation>
    </message>
    <message>
        <location filename="../flow.py" line="170"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../flow.py" line="185"/>
        <source>Choose an insurance</source>
        <translation>选择险种</translation>
    </message>
    <message>
        <location filename="../flow.py" line="196"/>
        <source>Choose the year</source>
        <translation>选择缴费年度</translation>
    </message>
    <message>
        <location filename="../flow.py" line="198"/>
        <location filename="../flow.py" line="213"/>
        <location filename="../flow.py" line="228"/>
        <source>Choose how to pay</source>
        <translation>选择缴费方式</translation>
    </message>
    <message>
        <location filename="../flow.py" line="200"/>
        <source>Choose the grade</source>
        <translation>选择缴费档次</translation>
    </message>
    <message>
        <location filename="../flow.py" line="201"/>
        <location filename="../flow.py" line="211"/>
        <source>Choose the months</source>
        <translation>选择缴费月份</translation>
    </message>
    <message>
        <location filename="../flow.py" line="202"/>
        <location filename="../flow.py" line="215"/>
        <source>Contribution base</source>
        <translation>填写缴费基数</translation>
    </message>
    <message>
        <location filename="../flow.py" line="204"/>
        <source>Check your payment</source>
        <translation>核对缴费信息</translation>
    </message>
    <message>
        <location filename="../flow.py" line="209"/>
        <source>Insurance binding</source>
        <translation>险种绑定</translation>
    </message>
    <message>
        <location filename="../flow.py" line="216"/>
        <source>Insurance items</source>
        <translation>选择缴费险种</translation>
    </message>
    <message>
        <location filename="../flow.py" line="218"/>
        <source>Special payment</source>
        <translation>特殊缴费</translation>
    </message>
    <message>
        <location filename="../flow.py" line="222"/>
        <source>Choose the agency</source>
        <translation>选择社保经办机构</translation>
    </message>
    <message>
        <location filename="../flow.py" line="225"/>
        <source>Arrears</source>
        <translation>社保费补缴</translation>
    </message>
    <message>
        <location filename="../flow.py" line="230"/>
        <source>No receipt</source>
        <translation>无法打印小票</translation>
    </message>
    <message>
        <location filename="../flow.py" line="233"/>
        <location filename="../flow.py" line="266"/>
        <source>Pay</source>
        <translation>支付</translation>
    </message>
    <message>
        <location filename="../flow.py" line="234"/>
        <location filename="../flow.py" line="268"/>
        <source>Pay by bank card</source>
        <translation>刷卡支付</translation>
    </message>
    <message>
        <location filename="../flow.py" line="236"/>
        <location filename="../flow.py" line="270"/>
        <source>Result</source>
        <translation>办理结果</translation>
    </message>
    <message>
        <location filename="../flow.py" line="241"/>
        <source>Payment records</source>
        <translation>社保缴费信息查询</translation>
    </message>
    <message>
        <location filename="../flow.py" line="256"/>
        <source>Items to pay</source>
        <translation>待缴清单</translation>
    </message>
    <message>
        <location filename="../flow.py" line="265"/>
        <source>Family members</source>
        <translation>家庭成员</translation>
    </message>
    <message>
        <location filename="../flow.py" line="179"/>
        <source>Pay for someone else</source>
        <translation>社保费代缴</translation>
    </message>
    <message>
        <location filename="../flow.py" line="181"/>
        <source>Confirm the person</source>
        <translation>确认被代缴人</translation>
    </message>
    <message>
        <location filename="../flow.py" line="243"/>
        <source>Certificates</source>
        <translation>凭证打印</translation>
    </message>
    <message>
        <location filename="../flow.py" line="246"/>
        <source>Tax payment certificate</source>
        <translation>税收完税证明</translation>
    </message>
    <message>
        <location filename="../flow.py" line="247"/>
        <source>Payment certificate</source>
        <translation>缴费证明</translation>
    </message>
    <message>
        <location filename="../flow.py" line="248"/>
        <source>Certificates issued</source>
        <translation>已开具证明</translation>
    </message>
    <message>
        <location filename="../flow.py" line="249"/>
        <source>Check and print</source>
        <translation>核对并打印</translation>
    </message>
    <message>
        <location filename="../flow.py" line="251"/>
        <source>Take your certificate</source>
        <translation>取走证明</translation>
    </message>
</context>
<context>
    <name>GradeScreen</name>
    <message>
        <location filename="../../screens/resident.py" line="106"/>
        <source>Confirm and pay</source>
        <translation>确认缴费</translation>
    </message>
    <message>
        <location filename="../../screens/resident.py" line="115"/>
        <source>Please choose a grade, then press confirm.</source>
        <translation>请选择缴费档次，然后点击确认。</translation>
    </message>
    <message>
        <location filename="../../screens/resident.py" line="122"/>
        <source>{item}, year {year}: please choose your grade</source>
        <translation>{item}&#x3000;{year}年度：请选择缴费档次</translation>
    </message>
    <message>
        <location filename="../../screens/resident.py" line="146"/>
        <source>Amount to pay: {amount}</source>
        <translation>应缴金额：{amount}</translation>
    </message>
</context>
<context>
    <name>HomeScreen</name>
    <message>
        <location filename="../../screens/home.py" line="26"/>
        <source>Social insurance fee self-service</source>
        <translation>社保费自助缴费</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="27"/>
        <source>Please choose who you are</source>
        <translation>请选择人员类型</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="29"/>
        <source>Flexible employment
(flexible-employment social insurance)</source>
        <translation>灵活就业
（灵活就业社保费缴纳）</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="30"/>
        <source>Urban and rural resident
(resident social insurance)</source>
        <translation>城乡居民
（城乡居民社保费缴纳）</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="52"/>
        <source>Welcome. Please choose flexible employment or urban and rural resident.</source>
        <translation>欢迎使用社保费自助缴费终端，请选择灵活就业或城乡居民。</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="79"/>
        <source>This machine cannot reach the fee system safely at the moment.</source>
        <translation>本机暂时无法安全连接缴费系统。</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="81"/>
        <source>This machine needs a technician&apos;s attention.</source>
        <translation>本机需要工作人员检修。</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="83"/>
        <source>Out of service</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="87"/>
        <source>Please use another self-service machine or the service window. Sorry for the trouble.</source>
        <translation>请使用其他自助终端或到服务窗口办理，给您带来不便，敬请谅解。</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="95"/>
        <source>Large text and high contrast are on. They go back to normal when you finish.</source>
        <translation>已开启大字模式和高对比度，办理结束后自动恢复。</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="97"/>
        <source>Large text is on. It goes back to normal when you finish.</source>
        <translation>已开启大字模式，办理结束后自动恢复。</translation>
    </message>
    <message>
        <location filename="../../screens/home.py" line="99"/>
        <source>High contrast is on. It goes back to normal when you finish.</source>
        <translation>已开启高对比度，办理结束后自动恢复。</translation>
    </message>
</context>
<context>
    <name>Household</name>
    <message>
        <location filename="../../screens/household.py" line="21"/>
        <source>spouse</source>
        <translation>配偶</translation>
    </message>
    <message>
        <location filename="../../screens/household.py" line="22"/>
        <source>parent</source>
        <translation>父母</translation>
    </message>
    <message>
        <location filename="../../screens/household.py" line="23"/>
        <source>child</source>
        <translation>子女</translation>
    </message>
    <message>
        <location filename="../../screens/household.py" line="24"/>
        <source>self</source>
        <translation>本人</translation>
    </message>
</context>
<context>
    <name>HouseholdScreen</name>
    <message>
        <location filename="../../screens/household.py" line="41"/>
        <source>Your household: tap an item to add it</source>
        <translation>家庭成员：点击项目加入待缴清单</translation>
    </message>
    <message>
        <location filename="../../screens/household.py" line="53"/>
        <source>Back to the basket</source>
        <translation>返回待缴清单</translation>
    </message>
    <message>
        <location filename="../../screens/household.py" line="61"/>
        <source>Tap the items you want to pay for your family.</source>
        <translation>请点击要为家人缴纳的项目。</translation>
    </message>
    <message>
        <location filename="../../screens/household.py" line="96"/>
        <source>The fee system lists no family member with anything to pay now.</source>
        <translation>暂无家庭成员有待缴项目。</translation>
    </message>
    <message>
        <location filename="../../screens/household.py" line="112"/>
        <source>{name} ({relation})</source>
        <translation>{name}（{relation}）</translation>
    </message>
    <message>
        <location filename="../../screens/household.py" line="117"/>
        <source>{item}, {period}: {amount}</source>
        <translation>{item}，{period}：{amount}</translation>
    </message>
    <message>
        <location filename="../../screens/household.py" line="134"/>
        <source>The basket is full: at most 10 items can be paid at once.</source>
        <translation>待缴清单已满：一次最多缴纳10项。</translation>
    </message>
</context>
<context>
    <name>IssuedCertificatesScreen</name>
    <message>
        <location filename="../../screens/certificates.py" line="339"/>
        <source>Please choose the certificate to print again.</source>
        <translation>请选择要补打的证明。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="346"/>
        <source>Looking up your certificates...</source>
        <translation>正在查询您已开具的证明……</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="360"/>
        <source>{count} certificates were issued to you, newest first. Choose one to print again.</source>
        <translation>您已开具 {count} 份证明（按开具日期，最新的在前）。请选择要补打的一份。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="365"/>
        <source>No certificate has been issued to you yet.</source>
        <translation>您还没有开具过证明。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="388"/>
        <source>Tax payment certificate</source>
        <translation>税收完税证明</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="389"/>
        <source>Payment certificate (summary)</source>
        <translation>缴费证明（汇总）</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="390"/>
        <source>Payment certificate (detail)</source>
        <translation>缴费证明（明细）</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="399"/>
        <source>printed {count} times</source>
        <translation>已打印 {count} 次</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="401"/>
        <source>issued, not printed yet</source>
        <translation>首次开具，尚未打印</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="404"/>
        <source>Issued {date}   {kind}   No. {number}
{count} payments, {total}   {printed}</source>
        <translation>开具日期 {date}   {kind}   编号 {number}
{count} 笔缴费，{total}   {printed}</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="416"/>
        <source>Print again</source>
        <translation>补打</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="424"/>
        <source>Preparing your certificate...</source>
        <translation>正在生成您的证明……</translation>
    </message>
</context>
<context>
    <name>ItemsScreen</name>
    <message>
        <location filename="../../screens/items.py" line="45"/>
        <source>Which insurance do you want to pay?</source>
        <translation>请选择要缴纳的险种</translation>
    </message>
    <message>
        <location filename="../../screens/items.py" line="56"/>
        <source>Please choose the insurance you want to pay.</source>
        <translation>请选择要缴纳的险种。</translation>
    </message>
    <message>
        <location filename="../../screens/items.py" line="62"/>
        <source>Paying for {name} ({id_number})</source>
        <translation>为 {name}（{id_number}）缴费</translation>
    </message>
    <message>
        <location filename="../../screens/items.py" line="66"/>
        <source>Hello, {name} ({id_number})</source>
        <translation>您好，{name}（{id_number}）</translation>
    </message>
    <message>
        <location filename="../../screens/items.py" line="82"/>
        <source>Arrears
(back payments)</source>
        <translation>社保费补缴
（补缴往年欠费）</translation>
    </message>
    <message>
        <location filename="../../screens/items.py" line="110"/>
        <source>You have no arrears to pay.</source>
        <translation>您没有需要补缴的费用。</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <location filename="../../screens/keypad.py" line="28"/>
        <source>Delete</source>
        <translation>退格</translation>
    </message>
</context>
<context>
    <name>KioskWindow</name>
    <message>
        <location filename="../../screens/main_window.py" line="237"/>
        <source>Social insurance fee kiosk</source>
        <translation>社保费自助缴费终端</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="309"/>
        <source>DEMO</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="320"/>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="322"/>
        <source>Home</source>
        <translation>首页</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="327"/>
        <source>Hear again</source>
        <translation>再听一遍</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="345"/>
        <source>Large text</source>
        <translation>大字模式</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="349"/>
        <source>High contrast</source>
        <translation>高对比度</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="358"/>
        <source>Quieter</source>
        <translation>小声</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="360"/>
        <source>Louder</source>
        <translation>大声</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="385"/>
        <source>{month}/{day} {time}</source>
        <translation>{month}月{day}日 {time}</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="420"/>
        <source>For someone else: {name} ({id_number})</source>
        <translation>代缴 / 代打：为 {name}（{id_number}）办理</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="429"/>
        <source>Amount due: {amount}.</source>
        <translation>应缴金额{amount}。</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="449"/>
        <source>{seconds} s left</source>
        <translation>剩余 {seconds} 秒</translation>
    </message>
    <message>
        <location filename="../../screens/main_window.py" line="458"/>
        <source>Are you still there? To continue, tap Yes, continue. Time left: {seconds} seconds.</source>
        <translation>您还在吗？如需继续办理，请点击“我还在，继续办理”。还剩{seconds}秒。</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../screens/login.py" line="31"/>
        <source>Please place your ID card or insert your social security card</source>
        <translation>请放置身份证或插入社保卡</translation>
    </message>
    <message>
        <location filename="../../screens/login.py" line="34"/>
        <source>Lay your resident ID card flat on the card reader below the screen,
or insert your social security card into the card slot.</source>
        <translation>请将居民身份证平放在屏幕下方的读卡区，
或将社保卡插入插卡口。</translation>
    </message>
    <message>
        <location filename="../../screens/login.py" line="52"/>
        <source>Please place your ID card on the reader, or insert your social security card.</source>
        <translation>请将身份证放在读卡区，或插入社保卡。</translation>
    </message>
    <message>
        <location filename="../../screens/login.py" line="57"/>
        <location filename="../../screens/login.py" line="70"/>
        <source>Waiting for your card...</source>
        <translation>正在等待读卡……</translation>
    </message>
    <message>
        <location filename="../../screens/login.py" line="84"/>
        <source>The ID card reader is not working. Please insert your social security card instead.</source>
        <translation>身份证读卡器暂不可用，请插入社保卡登录。</translation>
    </message>
    <message>
        <location filename="../../screens/login.py" line="88"/>
        <source>The social security card slot is not working. Please use your resident ID card instead.</source>
        <translation>社保卡读卡器暂不可用，请使用居民身份证登录。</translation>
    </message>
    <message>
        <location filename="../../screens/login.py" line="91"/>
        <source>The card readers are not working. Please ask at the service window.</source>
        <translation>读卡设备暂不可用，请到服务窗口办理。</translation>
    </message>
    <message>
        <location filename="../../screens/login.py" line="102"/>
        <source>This card has expired. Please use a valid card or ask at the service window.</source>
        <translation>此证件已过有效期，请使用有效证件或到服务窗口办理。</translation>
    </message>
    <message>
        <location filename="../../screens/login.py" line="107"/>
        <source>Card read. Checking your registration...</source>
        <translation>读卡成功，正在查询参保信息……</translation>
    </message>
    <message>
        <location filename="../../screens/login.py" line="127"/>
        <source>Your registration could not be checked. Please try again later.</source>
        <translation>暂时无法查询您的参保信息，请稍后再试。</translation>
    </message>
</context>
<context>
    <name>MedicalBindingScreen</name>
    <message>
        <location filename="../../screens/medical.py" line="28"/>
        <source>Please confirm your medical insurance</source>
        <translation>请确认医疗保险险种绑定信息</translation>
    </message>
    <message>
        <location filename="../../screens/medical.py" line="33"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../screens/medical.py" line="39"/>
        <source>Please check the insurance you are registered for, then confirm.</source>
        <translation>请核对您的医疗保险险种绑定信息，然后点击确认。</translation>
    </message>
    <message>
        <location filename="../../screens/medical.py" line="44"/>
        <source>Looking up your insurance...</source>
        <translation>正在查询险种绑定信息……</translation>
    </message>
    <message>
        <location filename="../../screens/medical.py" line="55"/>
        <source>You are registered for:</source>
        <translation>您已参保的险种：</translation>
    </message>
</context>
<context>
    <name>MedicalItemsScreen</name>
    <message>
        <location filename="../../screens/medical.py" line="87"/>
        <source>Please choose the insurance items to pay</source>
        <translation>请选择缴费险种</translation>
    </message>
    <message>
        <location filename="../../screens/medical.py" line="95"/>
        <source>Confirm and pay</source>
        <translation>确认缴费</translation>
    </message>
    <message>
        <location filename="../../screens/medical.py" line="105"/>
        <source>Please choose the insurance items, check the amount, then confirm.</source>
        <translation>请选择缴费险种，核对金额后点击确认。</translation>
    </message>
    <message>
        <location filename="../../screens/medical.py" line="126"/>
        <source>{name}
{rate}% of the base</source>
        <translation>{name}
按缴费基数的 {rate}%</translation>
    </message>
    <message>
        <location filename="../../screens/medical.py" line="128"/>
        <source>{name}
{amount} a month</source>
        <translation>{name}
每月 {amount}</translation>
    </message>
    <message>
        <location filename="../../screens/medical.py" line="130"/>
        <source> (required)</source>
        <translation>（必缴）</translation>
    </message>
    <message>
        <location filename="../../screens/medical.py" line="151"/>
        <source>{months} months: {amount}</source>
        <translation>{months} 个月，应缴金额：{amount}</translation>
    </message>
</context>
<context>
    <name>MenuScreen</name>
    <message>
        <location filename="../../screens/menu.py" line="23"/>
        <source>Please choose a service</source>
        <translation>请选择业务</translation>
    </message>
    <message>
        <location filename="../../screens/menu.py" line="26"/>
        <source>Pay social insurance</source>
        <translation>社保费缴费</translation>
    </message>
    <message>
        <location filename="../../screens/menu.py" line="27"/>
        <source>Pay for someone else</source>
        <translation>社保费代缴</translation>
    </message>
    <message>
        <location filename="../../screens/menu.py" line="28"/>
        <source>Print certificates</source>
        <translation>社保费凭证打印</translation>
    </message>
    <message>
        <location filename="../../screens/menu.py" line="29"/>
        <source>Print certificates
for someone else</source>
        <translation>为他人打印凭证</translation>
    </message>
    <message>
        <location filename="../../screens/menu.py" line="30"/>
        <source>Payment records</source>
        <translation>社保缴费信息查询</translation>
    </message>
    <message>
        <location filename="../../screens/menu.py" line="45"/>
        <source>Please choose a service.</source>
        <translation>请选择要办理的业务。</translation>
    </message>
    <message>
        <location filename="../../screens/menu.py" line="50"/>
        <source>You chose: flexible employment</source>
        <translation>您选择了：灵活就业</translation>
    </message>
    <message>
        <location filename="../../screens/menu.py" line="52"/>
        <source>You chose: urban and rural resident</source>
        <translation>您选择了：城乡居民</translation>
    </message>
</context>
<context>
    <name>MonthGrid</name>
    <message>
        <location filename="../../screens/cert_period.py" line="79"/>
        <source>◀ Previous year</source>
        <translation>◀ 上一年</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="83"/>
        <source>Next year ▶</source>
        <translation>下一年 ▶</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="103"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="119"/>
        <source>{month} month</source>
        <translation>{month}月</translation>
    </message>
</context>
<context>
    <name>Pager</name>
    <message>
        <location filename="../../screens/cert_period.py" line="220"/>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="223"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="237"/>
        <source>Page {page} of {pages}</source>
        <translation>第 {page} 页，共 {pages} 页</translation>
    </message>
</context>
<context>
    <name>PayMethodScreen</name>
    <message>
        <location filename="../../screens/pay_method.py" line="19"/>
        <source>Third-party payment
(Alipay)</source>
        <translation>第三方支付（支付宝）</translation>
    </message>
    <message>
        <location filename="../../screens/pay_method.py" line="36"/>
        <source>Please choose how to pay</source>
        <translation>请选择缴费方式</translation>
    </message>
    <message>
        <location filename="../../screens/pay_method.py" line="59"/>
        <source>Please choose Alipay, bank card or WeChat Pay.</source>
        <translation>请选择支付宝、刷卡支付或微信支付。</translation>
    </message>
    <message>
        <location filename="../../screens/pay_method.py" line="94"/>
        <source>Bank card payment cannot be used now: the bank card reader is not working. No money was taken.
Please choose Alipay or WeChat Pay.</source>
        <translation>银行卡读卡器暂时无法使用，现在不能刷卡支付，未扣取任何费用。
请选择支付宝或微信支付。</translation>
    </message>
    <message>
        <location filename="../../screens/pay_method.py" line="99"/>
        <source>Bank card payment cannot be used now: the PIN pad is not working. No money was taken.
Please choose Alipay or WeChat Pay.</source>
        <translation>密码键盘暂时无法使用，现在不能刷卡支付，未扣取任何费用。
请选择支付宝或微信支付。</translation>
    </message>
</context>
<context>
    <name>Payment</name>
    <message>
        <location filename="../../screens/base.py" line="68"/>
        <source>{item}, {period}</source>
        <translation>{item}，{period}</translation>
    </message>
    <message>
        <location filename="../../screens/base.py" line="69"/>
        <source>Social insurance agency: {agency}</source>
        <translation>社保经办机构：{agency}</translation>
    </message>
</context>
<context>
    <name>PaymentCertificateScreen</name>
    <message>
        <location filename="../../screens/certificates.py" line="215"/>
        <source>Payment certificate: choose the period</source>
        <translation>缴费证明：请选择费款所属期</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="216"/>
        <source>Or by month, payment period:</source>
        <translation>或按月份选择，费款所属期：</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="222"/>
        <source>Issue summary</source>
        <translation>开具汇总</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="224"/>
        <source>Issue detail</source>
        <translation>开具明细</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="238"/>
        <source>Please choose the year and the insurance, then the summary or the detail.</source>
        <translation>请选择年度和险种，再选择开具汇总或开具明细。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="248"/>
        <source>Payment period: {period}</source>
        <translation>费款所属期：{period}</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="260"/>
        <source>No payments were found for {period}.</source>
        <translation>{period}没有查询到缴费记录。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="267"/>
        <source>{item}
{months} months, {total}</source>
        <translation>{item}
{months} 个月，{total}</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="292"/>
        <source>Choose the insurance, then the summary or the detail.</source>
        <translation>请选择险种，再选择开具汇总或开具明细。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="294"/>
        <source>{count} chosen, {total}.</source>
        <translation>已选 {count} 个险种，合计 {total}。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="305"/>
        <source>Preparing your certificate...</source>
        <translation>正在生成您的证明……</translation>
    </message>
</context>
<context>
    <name>PeriodChoice</name>
    <message>
        <location filename="../../screens/cert_period.py" line="140"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="148"/>
        <source>From {month}</source>
        <translation>起 {month}</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="151"/>
        <source>Until {month}</source>
        <translation>止 {month}</translation>
    </message>
</context>
<context>
    <name>PeriodScreen</name>
    <message>
        <location filename="../../screens/cert_period.py" line="287"/>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="305"/>
        <source>Change the period</source>
        <translation>重新选择</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="323"/>
        <source>Whole year:</source>
        <translation>按整年：</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="340"/>
        <source>Tap a year, or choose the first and last month, then Search.</source>
        <translation>请点选一个年份；或选择起止月份，再点“查询”。</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="348"/>
        <source>Choose the first month</source>
        <translation>请选择起始月份</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="350"/>
        <source>Choose the last month</source>
        <translation>请选择终止月份</translation>
    </message>
    <message>
        <location filename="../../screens/cert_period.py" line="373"/>
        <source>Looking up your payments...</source>
        <translation>正在查询您的缴费记录……</translation>
    </message>
</context>
<context>
    <name>ProxyConfirmScreen</name>
    <message>
        <location filename="../../screens/proxy.py" line="163"/>
        <source>Is this the person you pay for?</source>
        <translation>请确认被代缴人</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="183"/>
        <source>The certificates printed will be this person&apos;s.</source>
        <translation>将打印此人的缴费凭证。</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="184"/>
        <source>Yes, print for this person</source>
        <translation>是，为此人打印</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="186"/>
        <source>The receipt will name you as the payer and this person.</source>
        <translation>缴费小票将同时列明您（缴费人）和被代缴人。</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="187"/>
        <source>Yes, pay for this person</source>
        <translation>确认，为此人代缴</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="171"/>
        <source>No, enter again</source>
        <translation>不是，重新输入</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="177"/>
        <source>Please check the name, then confirm.</source>
        <translation>请核对姓名后确认。</translation>
    </message>
</context>
<context>
    <name>ProxyIdScreen</name>
    <message>
        <location filename="../../screens/proxy.py" line="48"/>
        <source>Pay for someone else: enter their ID number</source>
        <translation>社保费代缴：请输入被代缴人身份证号</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="36"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="42"/>
        <source>Please enter the ID number of the person you pay for, then press confirm.</source>
        <translation>请使用数字键盘输入被代缴人的身份证号码，然后点击确认。</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="46"/>
        <source>Print certificates for someone else: enter their ID number</source>
        <translation>为他人打印凭证：请输入对方身份证号</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="79"/>
        <source>{left} digits to go. X can only be the last character.</source>
        <translation>还需输入 {left} 位，X 只能是最后一位。</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="84"/>
        <source>The number is complete. Press confirm.</source>
        <translation>号码已输入完整，请点击确认。</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="99"/>
        <source>This ID number is not right (its last character does not match). Please check it.</source>
        <translation>身份证号码有误（校验位不正确），请核对后重新输入。</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="101"/>
        <source>This ID number is not right (the birth date in it is not a date). Please check it.</source>
        <translation>身份证号码有误（出生日期不正确），请核对后重新输入。</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="102"/>
        <source>This ID number is not right. Please check it.</source>
        <translation>身份证号码有误，请核对后重新输入。</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="108"/>
        <source>This is your own ID number. To pay for yourself choose Pay social insurance.</source>
        <translation>这是您本人的证件号码。为本人缴费请选择“社保费缴费”。</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="140"/>
        <source>The fee system does not allow you to print this person&apos;s certificates.</source>
        <translation>社保费系统不允许您打印此人的凭证。</translation>
    </message>
    <message>
        <location filename="../../screens/proxy.py" line="151"/>
        <source>No social insurance registration was found for this ID number. Please check it.</source>
        <translation>未查询到此证件号码的社保参保登记信息，请核对。</translation>
    </message>
</context>
<context>
    <name>QrPayScreen</name>
    <message>
        <location filename="../../screens/qr_pay.py" line="56"/>
        <source>Cancel payment</source>
        <translation>取消支付</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="84"/>
        <source>Please scan the code with WeChat to pay.</source>
        <translation>请使用微信扫码支付。</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="85"/>
        <source>Please scan the code with Alipay to pay.</source>
        <translation>请使用支付宝扫码支付。</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="123"/>
        <location filename="../../screens/qr_pay.py" line="125"/>
        <source>Preparing the payment code...</source>
        <translation>正在生成支付二维码……</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="96"/>
        <source>Scan with Alipay to pay</source>
        <translation>请使用支付宝扫码支付</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="96"/>
        <source>Scan with WeChat to pay</source>
        <translation>请使用微信扫码支付</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="100"/>
        <source>{item}, {period}</source>
        <translation>{item}&#x3000;{period}</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="102"/>
        <source>Open Alipay on your phone and scan the code on the left.</source>
        <translation>请打开手机支付宝，扫描左侧二维码。</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="104"/>
        <source>Open WeChat on your phone and scan the code on the left.</source>
        <translation>请打开手机微信，扫描左侧二维码。</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="126"/>
        <source>Waiting for your payment...</source>
        <translation>正在等待支付……</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="127"/>
        <source>Payment received. Recording it and printing your receipt...</source>
        <translation>已收到付款，正在入库并打印缴费小票……</translation>
    </message>
    <message>
        <location filename="../../screens/qr_pay.py" line="128"/>
        <source>Closing the payment...</source>
        <translation>正在关闭支付订单……</translation>
    </message>
</context>
<context>
    <name>QueryScreen</name>
    <message>
        <location filename="../../screens/query.py" line="76"/>
        <source>Please choose a year to see your payments.</source>
        <translation>请选择年度，查询您的缴费记录。</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="37"/>
        <source>Payment records: choose the period</source>
        <translation>缴费信息查询：请选择缴费所属期</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="38"/>
        <source>Or by month, payment period:</source>
        <translation>或按月份选择，费款所属期：</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="39"/>
        <source>Insurance:</source>
        <translation>险种：</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="40"/>
        <source>Status:</source>
        <translation>缴费状态：</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="47"/>
        <source>Print the list</source>
        <translation>打印查询结果</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="90"/>
        <source>All insurances</source>
        <translation>全部险种</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="97"/>
        <source>Paid and not paid</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="106"/>
        <source>Pension</source>
        <translation>养老保险</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="108"/>
        <source>Medical</source>
        <translation>医疗保险</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="149"/>
        <source>{period} ({filters})</source>
        <translation>{period}（{filters}）</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="151"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="156"/>
        <source>No payments were found for {period}.</source>
        <translation>{period}没有查询到缴费记录。</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="158"/>
        <source>{period}: none of your own.</source>
        <translation>{period}：没有本人的缴费记录。</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="160"/>
        <source>{period}: {count} not paid.</source>
        <translation>{period}：{count} 笔未缴费。</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="162"/>
        <source>{period}: {count} payments, {total} in all.</source>
        <translation>{period}：共 {count} 笔缴费，合计 {total}。</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="166"/>
        <source>{count} not paid yet.</source>
        <translation>另有 {count} 笔未缴费。</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="170"/>
        <source>{count} paid by you for others.</source>
        <translation>另有 {count} 笔为他人代缴。</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="198"/>
        <source>bill {number}   {agency}   can be paid under Pay</source>
        <translation>单据号 {number}   {agency}   可在“社保费缴费”中缴纳</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="203"/>
        <source>base {amount}</source>
        <translation>缴费基数 {amount}</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="205"/>
        <source>grade {grade}</source>
        <translation>第{grade}档</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="209"/>
        <source>paid by you for {name}</source>
        <translation>为他人代缴（{name}）</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="211"/>
        <source>paid for you by {name}</source>
        <translation>他人代缴（{name}）</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="209"/>
        <location filename="../../screens/query.py" line="211"/>
        <source>another person</source>
        <translation>他人</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="213"/>
        <source>paid by yourself</source>
        <translation>本人缴纳</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="214"/>
        <source>{base}   {method}   {payer}   paid {date}</source>
        <translation>{base}   {method}   {payer}   缴费日期 {date}</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="229"/>
        <source>{period}   {item}   {amount}   {status}
{details}</source>
        <translation>{period}   {item}   {amount}   {status}
{details}</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="240"/>
        <source>Reprint receipt</source>
        <translation>补打小票</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="250"/>
        <source>The certificate printer is not available. Please ask staff for help.</source>
        <translation>凭证打印机暂不可用，请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="256"/>
        <source>Printing the list on A4... please wait.</source>
        <translation>正在用 A4 纸打印查询结果，请稍候……</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="268"/>
        <source>Please take the printed list from the tray below the screen.</source>
        <translation>请从屏幕下方的出纸口取走查询结果。</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="278"/>
        <source>Printing your receipt...</source>
        <translation>正在打印缴费小票……</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="326"/>
        <source>Please take your receipt (reprint).</source>
        <translation>请取走您补打的缴费小票。</translation>
    </message>
    <message>
        <location filename="../../screens/query.py" line="330"/>
        <source>The receipt printer is not working. Please try again later.</source>
        <translation>小票打印机暂不可用，请稍后再试。</translation>
    </message>
</context>
<context>
    <name>ReceiptWarningScreen</name>
    <message>
        <location filename="../../screens/receipt_warning.py" line="16"/>
        <source>No receipt can be printed</source>
        <translation>暂时无法打印缴费小票</translation>
    </message>
    <message>
        <location filename="../../screens/receipt_warning.py" line="22"/>
        <source>You can still pay now. Your payment is recorded as usual, and you can print the receipt later under Payment records on any kiosk.</source>
        <translation>您仍可继续缴费，缴费信息将正常入库，之后可在任一自助终端的“社保缴费信息查询”中补打缴费小票。</translation>
    </message>
    <message>
        <location filename="../../screens/receipt_warning.py" line="29"/>
        <source>Pay without a receipt</source>
        <translation>继续缴费（不打印小票）</translation>
    </message>
    <message>
        <location filename="../../screens/receipt_warning.py" line="31"/>
        <source>Do not pay now</source>
        <translation>暂不缴费</translation>
    </message>
    <message>
        <location filename="../../screens/receipt_warning.py" line="45"/>
        <source>No receipt can be printed. You may pay without a receipt, or stop.</source>
        <translation>暂时无法打印缴费小票，您可以继续缴费，或暂不缴费。</translation>
    </message>
    <message>
        <location filename="../../screens/receipt_warning.py" line="51"/>
        <source>The receipt printer is out of paper.</source>
        <translation>小票打印机缺纸。</translation>
    </message>
    <message>
        <location filename="../../screens/receipt_warning.py" line="53"/>
        <source>The receipt printer&apos;s cover is open.</source>
        <translation>小票打印机上盖打开。</translation>
    </message>
    <message>
        <location filename="../../screens/receipt_warning.py" line="57"/>
        <source>The receipt printer is not working.</source>
        <translation>小票打印机暂不可用。</translation>
    </message>
</context>
<context>
    <name>ResidentYearScreen</name>
    <message>
        <location filename="../../screens/resident.py" line="24"/>
        <source>Please choose the year to pay for</source>
        <translation>请选择缴费年度</translation>
    </message>
    <message>
        <location filename="../../screens/resident.py" line="33"/>
        <source>Please choose the year you want to pay for.</source>
        <translation>请选择要缴费的年度。</translation>
    </message>
    <message>
        <location filename="../../screens/resident.py" line="39"/>
        <source>Looking up what you can pay...</source>
        <translation>正在查询可缴费信息……</translation>
    </message>
    <message>
        <location filename="../../screens/resident.py" line="55"/>
        <source>Payments for {year} can be made from {opens} to {closes}.</source>
        <translation>{year}年度的缴费时间为{opens}至{closes}。</translation>
    </message>
    <message>
        <location filename="../../screens/resident.py" line="64"/>
        <source>There is nothing to pay at present.</source>
        <translation>您目前没有需要缴纳的费用。</translation>
    </message>
    <message>
        <location filename="../../screens/resident.py" line="68"/>
        <source>Year {year}</source>
        <translation>{year}年度</translation>
    </message>
    <message>
        <location filename="../../screens/resident.py" line="70"/>
        <source>(already paid)</source>
        <translation>（已缴费）</translation>
    </message>
</context>
<context>
    <name>ResultScreen</name>
    <message>
        <location filename="../../screens/result.py" line="48"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="32"/>
        <source>Please take your bank card.</source>
        <translation>请取回您的银行卡。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="38"/>
        <source>You can pay the same item by QR code instead:</source>
        <translation>您可以改用扫码支付同一缴费项目：</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="77"/>
        <location filename="../../screens/result.py" line="89"/>
        <source> Please take your bank card.</source>
        <translation>请取回您的银行卡。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="105"/>
        <source> You can pay by Alipay or WeChat Pay instead.</source>
        <translation>您可以改用支付宝或微信支付。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="125"/>
        <location filename="../../screens/result.py" line="134"/>
        <source>Payment successful</source>
        <translation>缴费成功</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="130"/>
        <source>Payment successful.</source>
        <translation>缴费成功。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="141"/>
        <source>{item}, {period}
Tax voucher number: {number}</source>
        <translation>{item}&#x3000;{period}
电子税票号码：{number}</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="146"/>
        <source>Please take your receipt.</source>
        <translation>请取走您的缴费小票。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="147"/>
        <source>Payment successful. Please take your receipt.</source>
        <translation>缴费成功，请取走您的缴费小票。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="151"/>
        <source>The receipt could not be printed. Your payment is recorded; you can reprint the receipt later under Payment records.</source>
        <translation>缴费小票未能打印。您的缴费已成功入库，可稍后在“社保缴费信息查询”中补打小票。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="155"/>
        <source>Payment successful. The receipt could not be printed.</source>
        <translation>缴费成功，缴费小票未能打印。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="162"/>
        <source>Payment returned</source>
        <translation>款项已退回</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="164"/>
        <source>Payment timed out</source>
        <translation>支付超时</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="166"/>
        <source>Payment cancelled</source>
        <translation>支付已取消</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="168"/>
        <source>Payment not made</source>
        <translation>缴费未完成</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="176"/>
        <source>No money was taken.</source>
        <translation>未扣取任何费用。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="182"/>
        <source>The payment was not made.</source>
        <translation>本次缴费未完成。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="185"/>
        <source>The payment was not made. No money was taken.</source>
        <translation>本次缴费未完成，未扣取任何费用。</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="189"/>
        <source>A technician will settle this payment</source>
        <translation>本次缴费将由工作人员处理</translation>
    </message>
    <message>
        <location filename="../../screens/result.py" line="194"/>
        <source>Please keep this number and show it to staff: {number}</source>
        <translation>请记下此编号并出示给工作人员：{number}</translation>
    </message>
</context>
<context>
    <name>SpecialBillsScreen</name>
    <message>
        <location filename="../../screens/special.py" line="15"/>
        <source>Special payment: choose the bill to pay</source>
        <translation>特殊缴费：请选择需要缴费的单据</translation>
    </message>
    <message>
        <location filename="../../screens/special.py" line="19"/>
        <source>Looking up your bills...</source>
        <translation>正在查询待缴单据……</translation>
    </message>
</context>
<context>
    <name>StillThereOverlay</name>
    <message>
        <location filename="../../screens/still_there.py" line="28"/>
        <source>Are you still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <location filename="../../screens/still_there.py" line="31"/>
        <source>Yes, continue</source>
        <translation>我还在，继续办理</translation>
    </message>
    <message>
        <location filename="../../screens/still_there.py" line="54"/>
        <source>Your session ends in {seconds} seconds and your data will be cleared.</source>
        <translation>{seconds} 秒后将回到首页，并清除您在本机填写和选择的信息。</translation>
    </message>
</context>
<context>
    <name>TaxCertificateScreen</name>
    <message>
        <location filename="../../screens/certificates.py" line="89"/>
        <source>{period}   {item}   {amount}   paid {date}</source>
        <translation>{period}   {item}   {amount}   缴费日期 {date}</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="127"/>
        <source>Tax payment certificate: choose the tax period</source>
        <translation>税收完税证明：请选择税款所属期</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="128"/>
        <source>Or by month, tax period:</source>
        <translation>或按月份选择，税款所属期：</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="133"/>
        <source>Select all</source>
        <translation>全选</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="135"/>
        <source>Select none</source>
        <translation>全不选</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="137"/>
        <source>Issue the certificate</source>
        <translation>开具完税证明</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="150"/>
        <source>Please choose the year, tick the payments, then issue the certificate.</source>
        <translation>请选择年度，勾选缴费记录，然后点击开具完税证明。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="164"/>
        <source>No payments were found for {period}.</source>
        <translation>{period}没有查询到缴费记录。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="167"/>
        <source>Tax period: {period}</source>
        <translation>税款所属期：{period}</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="177"/>
        <source>{count} of {all} chosen, {total}.</source>
        <translation>已选 {count} 笔（共 {all} 笔），合计 {total}。</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="190"/>
        <source>Preparing your certificate...</source>
        <translation>正在生成您的证明……</translation>
    </message>
    <message>
        <location filename="../../screens/certificates.py" line="175"/>
        <source>Tick the payments the certificate should show.</source>
        <translation>请勾选完税证明要包含的缴费记录。</translation>
    </message>
</context>
<context>
    <name>VoiceVolumeSection</name>
    <message>
        <location filename="../../screens/voice_volume.py" line="18"/>
        <source>This is the kiosk&apos;s test sound.</source>
        <translation>这是自助缴费终端的测试声音。</translation>
    </message>
    <message>
        <location filename="../../screens/voice_volume.py" line="35"/>
        <source>Voice prompts</source>
        <translation>语音提示</translation>
    </message>
    <message>
        <location filename="../../screens/voice_volume.py" line="38"/>
        <source>Audio output: {name}</source>
        <translation>音频输出：{name}</translation>
    </message>
    <message>
        <location filename="../../screens/voice_volume.py" line="40"/>
        <source>No audio output: the kiosk is silent (subtitles only).</source>
        <translation>没有音频输出：终端无声（只显示文字）。</translation>
    </message>
    <message>
        <location filename="../../screens/voice_volume.py" line="45"/>
        <source>Quieter</source>
        <translation>小声</translation>
    </message>
    <message>
        <location filename="../../screens/voice_volume.py" line="48"/>
        <source>Louder</source>
        <translation>大声</translation>
    </message>
    <message>
        <location filename="../../screens/voice_volume.py" line="50"/>
        <source>Play test sound</source>
        <translation>播放测试声音</translation>
    </message>
    <message>
        <location filename="../../screens/voice_volume.py" line="69"/>
        <source>Volume {percent} %</source>
        <translation>音量 {percent}%</translation>
    </message>
</context>
</TS>
