<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>SimulatorPanel</name>
    <message>
        <location filename="../../screens/sim_panel.py" line="39"/>
        <source>Kiosk simulator</source>
        <translation>自助终端模拟器</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="58"/>
        <source>Cards</source>
        <translation>卡片</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="67"/>
        <source>Place ID card</source>
        <translation>放置身份证</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="70"/>
        <source>Remove ID card</source>
        <translation>取走身份证</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="75"/>
        <source>Insert social security card</source>
        <translation>插入社保卡</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="78"/>
        <source>Pull social security card</source>
        <translation>拔出社保卡</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="88"/>
        <source>Citizen&apos;s phone (QR payment)</source>
        <translation>群众的手机（扫码支付）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="90"/>
        <location filename="../../screens/sim_panel.py" line="358"/>
        <source>No open order</source>
        <translation>没有待支付订单</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="92"/>
        <source>Pay this order</source>
        <translation>支付此订单</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="101"/>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="106"/>
        <source>Paper OK</source>
        <translation>纸张正常</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="107"/>
        <source>Paper low</source>
        <translation>纸将尽</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="108"/>
        <location filename="../../screens/sim_panel.py" line="198"/>
        <source>Paper out</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="109"/>
        <source>Cover open</source>
        <translation>上盖打开</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="110"/>
        <source>Offline</source>
        <translation>脱机</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="129"/>
        <source>Device traffic (hex and decoded)</source>
        <translation>设备通信（十六进制与解码）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="144"/>
        <source>Faults</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="149"/>
        <source>ID card reader: no fault</source>
        <translation>身份证读卡器：无故障</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="150"/>
        <source>ID card reader: one garbled answer</source>
        <translation>身份证读卡器：一次应答校验错误</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="151"/>
        <source>ID card reader: every answer garbled</source>
        <translation>身份证读卡器：每次应答校验错误</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="152"/>
        <source>ID card reader: noise before answers</source>
        <translation>身份证读卡器：应答前有杂波</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="153"/>
        <source>ID card reader: card pulled halfway</source>
        <translation>身份证读卡器：读卡中途拿走</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="161"/>
        <source>Unplug ID card reader</source>
        <translation>拔下身份证读卡器</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="161"/>
        <source>Unplug printer</source>
        <translation>拔下打印机</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="162"/>
        <source>Unplug PIN pad</source>
        <translation>拔下密码键盘</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="162"/>
        <source>Unplug social security card reader</source>
        <translation>拔下社保卡读卡器</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="163"/>
        <source>Unplug bank card reader</source>
        <translation>拔下银行卡读卡器</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="176"/>
        <source>Fee system: normal</source>
        <translation>费款系统：正常</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="177"/>
        <source>Fee system: slow (3 s)</source>
        <translation>费款系统：响应慢（3 秒）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="178"/>
        <source>Fee system: unreachable</source>
        <translation>费款系统：无法连接</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="179"/>
        <source>Fee system: answers errors</source>
        <translation>费款系统：返回错误</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="192"/>
        <source>Certificate printer (A4)</source>
        <translation>证明打印机（A4）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="197"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="199"/>
        <source>Paper jam</source>
        <translation>卡纸</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="200"/>
        <source>Queue stopped (offline)</source>
        <translation>打印队列已停止（脱机）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="201"/>
        <source>Unplugged</source>
        <translation>已拔出</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="246"/>
        <source>Bank host: answers the next purchase 3 s late</source>
        <translation>银行主机：下一笔消费晚 3 秒应答</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="247"/>
        <source>Bank host: answers the next purchase with the code below</source>
        <translation>银行主机：下一笔消费按下方应答码应答</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="255"/>
        <source>96 system malfunction</source>
        <translation>96 系统故障</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="256"/>
        <source>51 insufficient funds</source>
        <translation>51 余额不足</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="257"/>
        <source>55 incorrect PIN</source>
        <translation>55 密码错误</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="258"/>
        <source>75 PIN tries exceeded</source>
        <translation>75 密码错误次数超限</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="259"/>
        <source>54 expired card</source>
        <translation>54 过期卡</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="260"/>
        <source>14 invalid card number</source>
        <translation>14 无效卡号</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="261"/>
        <source>A0 MAC verification failed</source>
        <translation>A0 MAC 校验错</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="262"/>
        <source>00 approved (without booking it)</source>
        <translation>00 批准（主机不记账）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="280"/>
        <source>PIN pad</source>
        <translation>密码键盘</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="284"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="284"/>
        <source>Enter</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="285"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="308"/>
        <source>This person has no ID card in the demo data.</source>
        <translation>演示数据中此人没有身份证。</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="316"/>
        <source>This person has no social security card in the demo data.</source>
        <translation>演示数据中此人没有社保卡。</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="321"/>
        <source>The virtual card slot is not available: {error}</source>
        <translation>虚拟插卡口不可用：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="339"/>
        <source>There is no open order to pay.</source>
        <translation>没有可支付的订单。</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="355"/>
        <source>Open order {order}: {fen} fen</source>
        <translation>待支付订单 {order}：{fen} 分</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="360"/>
        <source>Receipts printed: {count}</source>
        <translation>已打印小票：{count} 张</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="363"/>
        <source>Certificates printed: {count}</source>
        <translation>已打印证明：{count}</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="215"/>
        <source>Bank card and bank host</source>
        <translation>银行卡与银行主机</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="222"/>
        <source>{name} ···{last4} — {yuan} yuan</source>
        <translation>{name} ···{last4} — {yuan} 元</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="229"/>
        <source>Insert bank card</source>
        <translation>插入银行卡</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="232"/>
        <source>Remove bank card</source>
        <translation>取出银行卡</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="241"/>
        <source>Bank host: normal</source>
        <translation>银行主机：正常</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="242"/>
        <source>Bank host: slow (3 s)</source>
        <translation>银行主机：响应慢（3 秒）</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="243"/>
        <source>Bank host: unreachable</source>
        <translation>银行主机：无法连接</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="244"/>
        <source>Bank host: drops the next purchase</source>
        <translation>银行主机：下一笔消费断开连接</translation>
    </message>
    <message>
        <location filename="../../screens/sim_panel.py" line="245"/>
        <source>Bank host: never answers the next purchase</source>
        <translation>银行主机：下一笔消费不应答</translation>
    </message>
</context>
</TS>
