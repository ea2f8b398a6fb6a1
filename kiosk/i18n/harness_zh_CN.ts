<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SimulatorPanel</name>
    <message>
        <location filename="../../screens/sim_panel.py" line="36"/>
        <source>Kiosk simulator</source>
        <translation>自助终端模拟器</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="46"/>
        <source>Cards</source>
        <translation>卡片</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="53"/>
        <source>Place ID card</source>
        <translation>放置身份证</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="56"/>
        <source>Remove ID card</source>
        <translation>取走身份证</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="61"/>
        <source>Insert social security card</source>
        <translation>插入社保卡</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="64"/>
        <source>Pull social security card</source>
        <translation>拔出社保卡</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="74"/>
        <source>Citizen&apos;s phone (QR payment)</source>
        <translation>群众的手机（扫码支付）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="76"/>
        <location filename="../../screens/sim_panel.py" line="244"/>
        <source>No open order</source>
        <translation>没有待支付订单</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="78"/>
        <source>Pay this order</source>
        <translation>支付此订单</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="87"/>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="92"/>
        <source>Paper OK</source>
        <translation>纸张正常</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="93"/>
        <source>Paper low</source>
        <translation>纸将尽</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="94"/>
        <source>Paper out</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="95"/>
        <source>Cover open</source>
        <translation>上盖打开</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="96"/>
        <source>Offline</source>
        <translation>脱机</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="113"/>
        <source>Device traffic (hex and decoded)</source>
        <translation>设备通信（十六进制与解码）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="123"/>
        <source>Faults</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="128"/>
        <source>ID card reader: no fault</source>
        <translation>身份证读卡器：无故障</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="129"/>
        <source>ID card reader: one garbled answer</source>
        <translation>身份证读卡器：一次应答校验错误</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="130"/>
        <source>ID card reader: every answer garbled</source>
        <translation>身份证读卡器：每次应答校验错误</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="131"/>
        <source>ID card reader: noise before answers</source>
        <translation>身份证读卡器：应答前有杂波</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="132"/>
        <source>ID card reader: card pulled halfway</source>
        <translation>身份证读卡器：读卡中途拿走</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="140"/>
        <source>Unplug ID card reader</source>
        <translation>拔下身份证读卡器</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="140"/>
        <source>Unplug printer</source>
        <translation>拔下打印机</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="141"/>
        <source>Unplug PIN pad</source>
        <translation>拔下密码键盘</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="151"/>
        <source>Fee system: normal</source>
        <translation>费款系统：正常</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="152"/>
        <source>Fee system: slow (3 s)</source>
        <translation>费款系统：响应慢（3 秒）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="153"/>
        <source>Fee system: unreachable</source>
        <translation>费款系统：无法连接</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="154"/>
        <source>Fee system: answers errors</source>
        <translation>费款系统：返回错误</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="166"/>
        <source>PIN pad</source>
        <translation>密码键盘</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="170"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="170"/>
        <source>Enter</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="171"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="194"/>
        <source>This person has no ID card in the demo data.</source>
        <translation>演示数据中此人没有身份证。</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="202"/>
        <source>This person has no social security card in the demo data.</source>
        <translation>演示数据中此人没有社保卡。</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="207"/>
        <source>The virtual card slot is not available: {error}</source>
        <translation>虚拟插卡口不可用：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="225"/>
        <source>There is no open order to pay.</source>
        <translation>没有可支付的订单。</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="241"/>
        <source>Open order {order}: {fen} fen</source>
        <translation>待支付订单 {order}：{fen} 分</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="246"/>
        <source>Receipts printed: {count}</source>
        <translation>已打印小票：{count} 张</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="160"/>
        <source>Bank card and bank host</source>
        <translation>银行卡与银行主机</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="160"/>
        <source>{name} ···{last4} — {yuan} yuan</source>
        <translation>{name} ···{last4} — {yuan} 元</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="160"/>
        <source>Insert bank card</source>
        <translation>插入银行卡</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="160"/>
        <source>Remove bank card</source>
        <translation>取出银行卡</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="160"/>
        <source>Bank host: normal</source>
        <translation>银行主机：正常</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="160"/>
        <source>Bank host: slow (3 s)</source>
        <translation>银行主机：响应慢（3 秒）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="160"/>
        <source>Bank host: unreachable</source>
        <translation>银行主机：无法连接</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="160"/>
        <source>Bank host: drops the next purchase</source>
        <translation>银行主机：下一笔消费断开连接</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="160"/>
        <source>Bank host: never answers the next purchase</source>
        <translation>银行主机：下一笔消费不应答</translation>
    </message>
</context>
</TS>
