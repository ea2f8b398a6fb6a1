<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DeviceMessage</name>
    <message>
        <location filename="../../drivers/bankcard/errors.py" line="12"/>
        <location filename="../../drivers/bankcard/errors.py" line="15"/>
        <source>The bank card reader is not available. Please choose another way to pay.</source>
        <translation>银行卡读卡器暂时无法使用，请选择其他支付方式。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankcard/errors.py" line="18"/>
        <source>Please insert your bank card into the card slot, chip first and facing up.</source>
        <translation>请将银行卡芯片朝上、芯片一端朝前插入读卡口。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankcard/errors.py" line="21"/>
        <source>The bank card was taken out too early. Please insert it again.</source>
        <translation>银行卡拔出过早，请重新插入。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankcard/errors.py" line="22"/>
        <source>This bank card cannot be read. Please check it is inserted chip first, or use another card.</source>
        <translation>无法读取此银行卡，请确认芯片一端朝前插入，或换一张卡。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankcard/errors.py" line="25"/>
        <source>This card is not a UnionPay chip card. Please use a UnionPay bank card with a chip.</source>
        <translation>此卡不是银联芯片卡，请使用带芯片的银联银行卡。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankhost/errors.py" line="47"/>
        <source>The payment did not go through. No money was taken from your card.</source>
        <translation>支付未成功，您的银行卡未被扣款。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankhost/errors.py" line="50"/>
        <source>The bank did not confirm the payment. If any money was taken from your card it will be returned automatically.</source>
        <translation>银行未确认本次支付。如您的银行卡已被扣款，款项将自动退回。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankhost/errors.py" line="56"/>
        <source>This card cannot be used for this payment. Please use another card.</source>
        <translation>此卡不能用于本次支付，请换一张卡。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankhost/errors.py" line="57"/>
        <source>The card balance is not enough for this payment. No money was taken. Please use another card.</source>
        <translation>卡内余额不足，未扣款。请换一张卡。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankhost/errors.py" line="60"/>
        <source>This card has expired. No money was taken. Please use another card.</source>
        <translation>此卡已过期，未扣款。请换一张卡。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankhost/errors.py" line="61"/>
        <source>The PIN is wrong. No money was taken. Please enter the PIN again.</source>
        <translation>密码错误，未扣款。请重新输入密码。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankhost/errors.py" line="62"/>
        <source>The PIN was entered wrongly too many times and the card is locked for today. No money was taken.</source>
        <translation>密码错误次数过多，此卡今日已被锁定，未扣款。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankhost/errors.py" line="67"/>
        <source>The bank did not accept this payment. No money was taken. Please choose another way to pay.</source>
        <translation>银行未受理本次支付，未扣款。请选择其他支付方式。</translation>
    </message>
    <message>
        <location filename="../../drivers/bankhost/errors.py" line="70"/>
        <source>Bank card payment is not available at the moment. No money was taken. Please choose another way to pay.</source>
        <translation>银行卡支付暂时无法使用，未扣款。请选择其他支付方式。</translation>
    </message>
</context>
</TS>
