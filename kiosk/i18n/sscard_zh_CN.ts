<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DeviceMessage</name>
    <message>
        <location filename="../../drivers/pcsc/errors.py" line="24"/>
        <source>The card reader service is not running. Please ask staff for help.</source>
        <translation>读卡服务未运行，请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../drivers/pcsc/errors.py" line="33"/>
        <source>The card reader is not connected. Please ask staff for help.</source>
        <translation>读卡器未连接，请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../drivers/pcsc/errors.py" line="42"/>
        <source>Please insert your card into the card slot.</source>
        <translation>请将卡片插入读卡口。</translation>
    </message>
    <message>
        <location filename="../../drivers/pcsc/errors.py" line="51"/>
        <source>The card was taken out while it was being read. Please insert it again.</source>
        <translation>读卡过程中卡片被拔出，请重新插卡。</translation>
    </message>
    <message>
        <location filename="../../drivers/pcsc/errors.py" line="60"/>
        <source>The card could not be read. Please check the card is inserted the right way.</source>
        <translation>无法读取卡片，请检查卡片插入方向是否正确。</translation>
    </message>
    <message>
        <location filename="../../drivers/sscard/errors.py" line="11"/>
        <location filename="../../drivers/sscard/errors.py" line="14"/>
        <source>The social security card reader is not available. Please log in with your ID card.</source>
        <translation>社保卡读卡器暂不可用，请使用身份证登录。</translation>
    </message>
    <message>
        <location filename="../../drivers/sscard/errors.py" line="17"/>
        <source>Please insert your social security card into the card slot, chip first and facing up.</source>
        <translation>请将社保卡芯片朝上、芯片一端朝里插入读卡口。</translation>
    </message>
    <message>
        <location filename="../../drivers/sscard/errors.py" line="20"/>
        <source>The card was taken out too early. Please insert your social security card again.</source>
        <translation>社保卡拔出过早，请重新插入社保卡。</translation>
    </message>
    <message>
        <location filename="../../drivers/sscard/errors.py" line="23"/>
        <source>This social security card cannot be read. Please use your ID card or ask staff for help.</source>
        <translation>无法读取此社保卡，请使用身份证登录或联系工作人员。</translation>
    </message>
</context>
</TS>
