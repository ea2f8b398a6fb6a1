<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DeviceMessage</name>
    <message>
        <location filename="../../drivers/idcard/errors.py" line="24"/>
        <source>Please place your ID card flat on the reader.</source>
        <translation>请将身份证平放在读卡区。</translation>
    </message>
    <message>
        <location filename="../../drivers/idcard/errors.py" line="25"/>
        <source>The ID card could not be read. Please lift it and place it flat on the reader again.</source>
        <translation>未能读取身份证，请拿起后重新平放在读卡区。</translation>
    </message>
    <message>
        <location filename="../../drivers/idcard/errors.py" line="28"/>
        <source>The ID card reader is not working. Please use your social security card or ask staff.</source>
        <translation>身份证阅读器暂时无法使用，请改用社会保障卡，或联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../drivers/idcard/errors.py" line="31"/>
        <source>This card type cannot be used here. Please use your resident ID card or ask staff.</source>
        <translation>此类证件无法在本机使用，请使用居民身份证，或联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../drivers/idcard/errors.py" line="34"/>
        <source>This ID card could not be verified. Please ask staff for help.</source>
        <translation>该证件未能通过验证，请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../drivers/idcard/errors.py" line="37"/>
        <source>The ID card reader is not connected. Please use your social security card or ask staff.</source>
        <translation>身份证阅读器未连接，请改用社会保障卡，或联系工作人员。</translation>
    </message>
</context>
</TS>
