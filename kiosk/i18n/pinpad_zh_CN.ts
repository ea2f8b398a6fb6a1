<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DeviceMessage</name>
    <message>
        <location filename="../../drivers/pinpad/errors.py" line="11"/>
        <source>The PIN pad is not available. Please choose another way to pay or ask staff for help.</source>
        <translation>密码键盘暂时无法使用，请选择其他支付方式或联系工作人员。</translation>
    </message>
    <message>
        <location filename="../../drivers/pinpad/errors.py" line="14"/>
        <source>The PIN pad is out of service. Please choose another way to pay.</source>
        <translation>密码键盘暂停服务，请选择其他支付方式。</translation>
    </message>
    <message>
        <location filename="../../drivers/pinpad/errors.py" line="17"/>
        <source>The PIN pad did not respond correctly. Please try again.</source>
        <translation>密码键盘响应异常，请重试。</translation>
    </message>
    <message>
        <location filename="../../drivers/pinpad/errors.py" line="18"/>
        <source>PIN entry was canceled.</source>
        <translation>密码输入已取消。</translation>
    </message>
    <message>
        <location filename="../../drivers/pinpad/errors.py" line="19"/>
        <source>PIN entry timed out. Please try again.</source>
        <translation>密码输入超时，请重新输入。</translation>
    </message>
    <message>
        <location filename="../../drivers/pinpad/errors.py" line="20"/>
        <source>The PIN pad is busy. Please wait a moment.</source>
        <translation>密码键盘正忙，请稍候。</translation>
    </message>
    <message>
        <location filename="../../drivers/pinpad/errors.py" line="21"/>
        <source>This card cannot be used for PIN entry. Please ask staff for help.</source>
        <translation>此卡无法输入密码，请联系工作人员。</translation>
    </message>
</context>
</TS>
