<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DeviceMessage</name>
    <message>
        <location filename="../../printers/escpos/errors.py" line="9"/>
        <source>The receipt printer is not available, so no receipt can be printed now.</source>
        <translation>小票打印机暂不可用，现在无法打印缴费小票。</translation>
    </message>
    <message>
        <location filename="../../printers/escpos/errors.py" line="12"/>
        <source>The receipt printer is out of paper, so no receipt can be printed now.</source>
        <translation>小票打印机缺纸，现在无法打印缴费小票。</translation>
    </message>
    <message>
        <location filename="../../printers/escpos/errors.py" line="15"/>
        <source>The receipt printer cover is open, so no receipt can be printed now.</source>
        <translation>小票打印机盖未关好，现在无法打印缴费小票。</translation>
    </message>
    <message>
        <location filename="../../printers/escpos/errors.py" line="18"/>
        <source>The receipt could not be printed completely. You can reprint it later under Query.</source>
        <translation>缴费小票未能完整打印，您可以稍后在“缴费信息查询”中补打。</translation>
    </message>
    <message>
        <location filename="../../printers/a4/cups.py" line="19"/>
        <source>The certificate printer is not available. Please ask staff for help.</source>
        <translation>凭证打印机暂不可用，请联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../printers/a4/cups.py" line="22"/>
        <source>The certificate printer is out of paper. Please ask staff for help.</source>
        <translation>凭证打印机缺纸，请联系工作人员。</translation>
    </message>
</context>
</TS>
