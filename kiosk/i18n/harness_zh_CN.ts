<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SimulatorPanel</name>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="61"/>
        <source>Kiosk simulator</source>
        <translation>自助终端模拟器</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="80"/>
        <source>Cards</source>
        <translation>卡片</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="89"/>
        <source>Place ID card</source>
        <translation>放置身份证</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="92"/>
        <source>Remove ID card</source>
        <translation>取走身份证</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="97"/>
        <source>Insert social security card</source>
        <translation>插入社保卡</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="100"/>
        <source>Pull social security card</source>
        <translation>拔出社保卡</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="111"/>
        <source>Citizen&apos;s phone (QR payment)</source>
        <translation>群众的手机（扫码支付）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="113"/>
        <location filename="../../app/harness/sim_panel.py" line="433"/>
        <source>No open order</source>
        <translation>没有待支付订单</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="119"/>
        <source>Pay with UnionPay QuickPass</source>
        <translation>用云闪付支付</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="135"/>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="140"/>
        <source>Paper OK</source>
        <translation>纸张正常</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="141"/>
        <source>Paper low</source>
        <translation>纸将尽</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="142"/>
        <location filename="../../app/harness/sim_panel.py" line="235"/>
        <source>Paper out</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="143"/>
        <source>Cover open</source>
        <translation>上盖打开</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="144"/>
        <source>Offline</source>
        <translation>脱机</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="163"/>
        <source>Device traffic (hex and decoded)</source>
        <translation>设备通信（十六进制与解码）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="178"/>
        <source>Faults</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="183"/>
        <source>ID card reader: no fault</source>
        <translation>身份证读卡器：无故障</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="184"/>
        <source>ID card reader: one garbled answer</source>
        <translation>身份证读卡器：一次应答校验错误</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="185"/>
        <source>ID card reader: every answer garbled</source>
        <translation>身份证读卡器：每次应答校验错误</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="186"/>
        <source>ID card reader: noise before answers</source>
        <translation>身份证读卡器：应答前有杂波</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="187"/>
        <source>ID card reader: card pulled halfway</source>
        <translation>身份证读卡器：读卡中途拿走</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="195"/>
        <source>Unplug ID card reader</source>
        <translation>拔下身份证读卡器</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="196"/>
        <source>Unplug printer</source>
        <translation>拔下打印机</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="197"/>
        <source>Unplug PIN pad</source>
        <translation>拔下密码键盘</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="198"/>
        <source>Unplug social security card reader</source>
        <translation>拔下社保卡读卡器</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="199"/>
        <source>Unplug bank card reader</source>
        <translation>拔下银行卡读卡器</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="213"/>
        <source>Fee system: normal</source>
        <translation>费款系统：正常</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="214"/>
        <source>Fee system: slow (3 s)</source>
        <translation>费款系统：响应慢（3 秒）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="215"/>
        <source>Fee system: unreachable</source>
        <translation>费款系统：无法连接</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="216"/>
        <source>Fee system: answers errors</source>
        <translation>费款系统：返回错误</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="229"/>
        <source>Certificate printer (A4)</source>
        <translation>证明打印机（A4）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="234"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="236"/>
        <source>Paper jam</source>
        <translation>卡纸</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="237"/>
        <source>Queue stopped (offline)</source>
        <translation>打印队列已停止（脱机）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="238"/>
        <source>Unplugged</source>
        <translation>已拔出</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="283"/>
        <source>Bank host: answers the next purchase 3 s late</source>
        <translation>银行主机：下一笔消费晚 3 秒应答</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="284"/>
        <source>Bank host: answers the next purchase with the code below</source>
        <translation>银行主机：下一笔消费按下方应答码应答</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="285"/>
        <source>Bank host: a wrong ARPC in the next approval</source>
        <translation>银行主机：下一笔批准带错误的 ARPC</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="286"/>
        <source>Bank host: the next settlement&apos;s totals leave out a purchase</source>
        <translation>银行主机：下一次结算总数漏掉一笔消费</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="294"/>
        <source>96 system malfunction</source>
        <translation>96 系统故障</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="295"/>
        <source>51 insufficient funds</source>
        <translation>51 余额不足</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="296"/>
        <source>55 incorrect PIN</source>
        <translation>55 密码错误</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="297"/>
        <source>75 PIN tries exceeded</source>
        <translation>75 密码错误次数超限</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="298"/>
        <source>54 expired card</source>
        <translation>54 过期卡</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="299"/>
        <source>14 invalid card number</source>
        <translation>14 无效卡号</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="300"/>
        <source>A0 MAC verification failed</source>
        <translation>A0 MAC 校验错</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="301"/>
        <source>00 approved (without booking it)</source>
        <translation>00 批准（主机不记账）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="318"/>
        <source>Bank card chip: normal</source>
        <translation>银行卡芯片：正常</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="319"/>
        <source>Bank card chip: a wrong ARQC (the host declines)</source>
        <translation>银行卡芯片：ARQC 错误（主机拒绝）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="320"/>
        <source>Bank card chip: AAC at the second GENERATE AC</source>
        <translation>银行卡芯片：第二次 GENERATE AC 回 AAC</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="321"/>
        <source>Bank card chip: pulled between the two GENERATE ACs</source>
        <translation>银行卡芯片：两次 GENERATE AC 之间被拔出</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="336"/>
        <source>PIN pad</source>
        <translation>密码键盘</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="340"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="340"/>
        <source>Enter</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="341"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="364"/>
        <source>This person has no ID card in the demo data.</source>
        <translation>演示数据中此人没有身份证。</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="372"/>
        <source>This person has no social security card in the demo data.</source>
        <translation>演示数据中此人没有社保卡。</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="377"/>
        <source>The virtual card slot is not available: {error}</source>
        <translation>虚拟插卡口不可用：{error}</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="394"/>
        <source>There is no open order to pay.</source>
        <translation>没有可支付的订单。</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="399"/>
        <source>This code is not for this app: the order is not paid.</source>
        <translation>此二维码不属于该应用，订单未支付。</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="407"/>
        <source>There is no open order.</source>
        <translation>没有待支付订单。</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="409"/>
        <source>Nobody pays: the kiosk closes the order when its countdown ends.</source>
        <translation>无人支付：倒计时结束时自助机将关闭此订单。</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="422"/>
        <source>Alipay</source>
        <translation>支付宝</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="423"/>
        <source>WeChat Pay</source>
        <translation>微信支付</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="424"/>
        <source>one code for Alipay, WeChat Pay, UnionPay</source>
        <translation>聚合支付码（支付宝、微信、云闪付）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="428"/>
        <source>Open order {order} ({app}): {amount}</source>
        <translation>待支付订单 {order}（{app}）：{amount}</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="435"/>
        <source>Receipts printed: {count}</source>
        <translation>已打印小票：{count} 张</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="438"/>
        <source>Certificates printed: {count}</source>
        <translation>已打印证明：{count}</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="252"/>
        <source>Bank card and bank host</source>
        <translation>银行卡与银行主机</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="117"/>
        <source>Pay with Alipay</source>
        <translation>用支付宝支付</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="118"/>
        <source>Pay with WeChat Pay</source>
        <translation>用微信支付</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="126"/>
        <source>Walk away without paying</source>
        <translation>不支付，离开</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="259"/>
        <source>{name} ···{last4} — {yuan} yuan</source>
        <translation>{name} ···{last4} — {yuan} 元</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="266"/>
        <source>Insert bank card</source>
        <translation>插入银行卡</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="269"/>
        <source>Remove bank card</source>
        <translation>取出银行卡</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="278"/>
        <source>Bank host: normal</source>
        <translation>银行主机：正常</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="279"/>
        <source>Bank host: slow (3 s)</source>
        <translation>银行主机：响应慢（3 秒）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="280"/>
        <source>Bank host: unreachable</source>
        <translation>银行主机：无法连接</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="281"/>
        <source>Bank host: drops the next purchase</source>
        <translation>银行主机：下一笔消费断开连接</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_panel.py" line="282"/>
        <source>Bank host: never answers the next purchase</source>
        <translation>银行主机：下一笔消费不应答</translation>
    </message>
</context>
<context>
    <name>TypedIdCardBox</name>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="20"/>
        <source>Type an ID card</source>
        <translation>输入身份证信息</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="25"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="26"/>
        <source>ID number</source>
        <translation>公民身份号码</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="27"/>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="27"/>
        <source>男 / 女 (empty: from the ID number)</source>
        <translation>男 / 女（留空：按身份证号）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="28"/>
        <source>Nation</source>
        <translation>民族</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="28"/>
        <source>汉 or 01 (empty: 01)</source>
        <translation>汉 或 01（留空：01）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="29"/>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="29"/>
        <source>YYYY-MM-DD (empty: from the ID number)</source>
        <translation>YYYY-MM-DD（留空：按身份证号）</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="30"/>
        <source>Address</source>
        <translation>住址</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="31"/>
        <source>Valid from</source>
        <translation>有效期起</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="32"/>
        <source>Valid to</source>
        <translation>有效期止</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="32"/>
        <source>YYYY-MM-DD or 长期</source>
        <translation>YYYY-MM-DD 或 长期</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="39"/>
        <source>Place this card</source>
        <translation>放置此身份证</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="54"/>
        <source>A card needs at least a name and an ID number.</source>
        <translation>至少需要填写姓名和公民身份号码。</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="59"/>
        <source>The simulator cannot make this card: {error}</source>
        <translation>模拟器无法制作此身份证：{error}</translation>
    </message>
    <message>
        <location filename="../../app/harness/sim_typed_card.py" line="61"/>
        <source>Card placed on the reader.</source>
        <translation>身份证已放到读卡区。</translation>
    </message>
</context>
</TS>
