<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AuditPage</name>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="51"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
</context>
<context>
    <name>CeremonyPage</name>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="15"/>
        <source>PIN pad master key ceremony</source>
        <translation>密码键盘主密钥灌装</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="23"/>
        <source>Load component</source>
        <translation>输入分量</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="25"/>
        <source>Component (32 hexadecimal digits)</source>
        <translation>分量（32位十六进制数字）</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="35"/>
        <source>Combine the master key</source>
        <translation>合成主密钥</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="76"/>
        <source>Technician {who}: key in master key component 1.</source>
        <translation>技术人员{who}：请输入主密钥分量1。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="78"/>
        <source>A second technician signs in to key component 2.</source>
        <translation>请第二名技术人员登录，输入分量2。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="81"/>
        <source>Technician {who}: key in master key component 2.</source>
        <translation>技术人员{who}：请输入主密钥分量2。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="83"/>
        <source>Both components loaded. Combine them into the master key.</source>
        <translation>两个分量均已输入，请合成主密钥。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="85"/>
        <source>Done. Compare the final check value with the key custodians&apos; record.</source>
        <translation>完成。请将最终校验值与密钥保管人的记录核对。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="111"/>
        <source>Check value of component {n}: {kcv}</source>
        <translation>分量{n}校验值：{kcv}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="125"/>
        <source>Final check value: {kcv}</source>
        <translation>最终校验值：{kcv}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/ceremony_page.py" line="136"/>
        <source>Not accepted: {error}</source>
        <translation>未被接受：{error}</translation>
    </message>
</context>
<context>
    <name>ConfigPage</name>
    <message>
        <location filename="../../screens/maintenance/config_page.py" line="19"/>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/config_page.py" line="28"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/config_page.py" line="31"/>
        <source>Restart to apply</source>
        <translation>重启以生效</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/config_page.py" line="57"/>
        <source>Not saved: {problem}</source>
        <translation>未保存：{problem}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/config_page.py" line="61"/>
        <source>Saved. The change takes effect when the kiosk restarts.</source>
        <translation>已保存。终端重启后生效。</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="16"/>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="18"/>
        <source>ID card reader</source>
        <translation>身份证阅读器</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="19"/>
        <source>Social security card reader</source>
        <translation>社保卡读卡器</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="20"/>
        <source>PIN pad</source>
        <translation>密码键盘</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="21"/>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="22"/>
        <source>A4 printer</source>
        <translation>A4打印机</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="23"/>
        <source>Bank card reader</source>
        <translation>银行卡读卡器</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="24"/>
        <source>Bank host</source>
        <translation>银行主机</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="29"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="32"/>
        <source>Read an ID card</source>
        <translation>读身份证</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="33"/>
        <source>Read a social security card</source>
        <translation>读社保卡</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="34"/>
        <source>PIN pad check values</source>
        <translation>密码键盘校验值</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="35"/>
        <source>Test receipt</source>
        <translation>测试小票</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="36"/>
        <source>Test A4 page</source>
        <translation>测试A4页</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="49"/>
        <source>New paper roll put in</source>
        <translation>已换新纸卷</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="62"/>
        <source>Asking the devices…</source>
        <translation>正在查询设备…</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="76"/>
        <source>Testing…</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="82"/>
        <source>Test passed</source>
        <translation>测试通过</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="82"/>
        <source>Test failed</source>
        <translation>测试失败</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="89"/>
        <source>The device did not answer: {error}</source>
        <translation>设备无应答：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="92"/>
        <source>The volume was not changed: {error}</source>
        <translation>音量未更改：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="96"/>
        <source>Receipt paper: {used} receipts since the last roll, about {left} left.</source>
        <translation>小票纸：换纸后已打印{used}张，约剩{left}张。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="99"/>
        <source>Paper is running out: put in a new roll.</source>
        <translation>纸张即将用完：请更换新纸卷。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="106"/>
        <source>The paper counter was not reset: {error}</source>
        <translation>纸卷计数未重置：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/devices_page.py" line="109"/>
        <source>Paper counter reset.</source>
        <translation>纸张计数已清零。</translation>
    </message>
</context>
<context>
    <name>EnrolmentPage</name>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="22"/>
        <source>Terminal certificate: {warning}</source>
        <translation>终端证书：{warning}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="27"/>
        <source>Terminal certificate (fee system)</source>
        <translation>终端证书（缴费系统）</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="33"/>
        <source>Make a certificate request (to the drive)</source>
        <translation>生成证书申请（写入移动存储）</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="35"/>
        <source>Import the signed certificate</source>
        <translation>导入已签发的证书</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="37"/>
        <source>Test the link</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="54"/>
        <source>Problem: {problem}</source>
        <translation>问题：{problem}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="56"/>
        <source>Warning: {warning}</source>
        <translation>提醒：{warning}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="59"/>
        <source>Out of service: {detail}</source>
        <translation>暂停服务：{detail}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="61"/>
        <source>A request is waiting for its certificate: put {name} on the drive and import it.</source>
        <translation>已有申请在等待证书：请把 {name} 放到移动存储上再导入。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="63"/>
        <source>No certificate installed.</source>
        <translation>尚未安装证书。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="66"/>
        <source>Installed: {subject}, issued by {issuer}, valid until {until}</source>
        <translation>已安装：{subject}，签发者 {issuer}，有效期至 {until}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="75"/>
        <source>Request written to {path}. Have the bureau sign it, then import {name}.</source>
        <translation>申请已写入 {path}。请交经办机构签发，然后导入 {name}。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="85"/>
        <source>Installed: {subject}, valid until {until}. Testing the link…</source>
        <translation>已安装：{subject}，有效期至 {until}。正在测试连接…</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="98"/>
        <source>The fee system answers over this certificate.</source>
        <translation>缴费系统已通过此证书应答。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="100"/>
        <source>The fee system does not answer: {problem}</source>
        <translation>缴费系统没有应答：{problem}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="109"/>
        <source>The export folder {folder} is not there: plug in the removable drive.</source>
        <translation>导出文件夹 {folder} 不存在：请插入移动存储。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="114"/>
        <source>Not installed: {reason}</source>
        <translation>未安装：{reason}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/enrolment.py" line="116"/>
        <source>Not done: {reason}</source>
        <translation>未完成：{reason}</translation>
    </message>
</context>
<context>
    <name>JournalPage</name>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="17"/>
        <source>Payment journal</source>
        <translation>缴费流水</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="21"/>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="24"/>
        <source>Unresolved only</source>
        <translation>仅未处理</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="26"/>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="28"/>
        <source>Day (YYYY-MM-DD, empty: all)</source>
        <translation>日期（年-月-日，留空为全部）</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="38"/>
        <source>Note: what you checked and what you did</source>
        <translation>说明：核查了什么、做了什么</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="39"/>
        <source>Resolve</source>
        <translation>处理</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="56"/>
        <source>Write the day as YYYY-MM-DD.</source>
        <translation>请按“年-月-日”格式填写日期。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="65"/>
        <source>{n} records</source>
        <translation>共{n}条</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="73"/>
        <source>Journal number</source>
        <translation>流水号</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="74"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="75"/>
        <source>Insured item</source>
        <translation>险种</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="76"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="77"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="78"/>
        <source>Payer</source>
        <translation>缴费人</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="79"/>
        <source>Payment number</source>
        <translation>电子税票号码</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="80"/>
        <source>Note</source>
        <translation>说明</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="93"/>
        <source>Steps:</source>
        <translation>处理步骤：</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="99"/>
        <source>Mark resolved (settled outside the kiosk)</source>
        <translation>标记为已处理（已在自助机外处理）</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="108"/>
        <source>Choose an unresolved payment first.</source>
        <translation>请先选择一笔未处理的缴费。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="114"/>
        <source>A resolution needs a written note (at least 10 characters).</source>
        <translation>人工处理必须填写说明（至少10个字符）。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="117"/>
        <source>The journal refused: {error}</source>
        <translation>流水拒绝了此操作：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/journal_page.py" line="121"/>
        <source>Payment {no} resolved.</source>
        <translation>缴费 {no} 已处理。</translation>
    </message>
</context>
<context>
    <name>Keyboard</name>
    <message>
        <location filename="../../screens/maintenance/common.py" line="91"/>
        <source>Shift</source>
        <translation>大小写</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/common.py" line="92"/>
        <source>Space</source>
        <translation>空格</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/common.py" line="93"/>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
</context>
<context>
    <name>LogsPage</name>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="15"/>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="18"/>
        <source>Export logs (personal data masked)</source>
        <translation>导出日志（个人信息已脱敏）</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="26"/>
        <source>The log is empty.</source>
        <translation>日志为空。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="28"/>
        <source>The log cannot be read: {error}</source>
        <translation>无法读取日志：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="35"/>
        <source>Exporting the logs…</source>
        <translation>正在导出日志…</translation>
    </message>
</context>
<context>
    <name>MaintenancePage</name>
    <message>
        <location filename="../../screens/maintenance/common.py" line="147"/>
        <source>Not done: the audit log cannot be written (is the disk full?). Only viewing works until it can.</source>
        <translation>未执行：审计日志无法写入（磁盘已满？）。在能写入之前只能查看。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/common.py" line="158"/>
        <source>The export folder {folder} is not there: plug in the removable drive.</source>
        <translation>导出目录{folder}不存在：请插入移动存储设备。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/common.py" line="164"/>
        <source>Export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/common.py" line="167"/>
        <source>Exported to {path}</source>
        <translation>已导出到 {path}</translation>
    </message>
</context>
<context>
    <name>MaintenanceWindow</name>
    <message>
        <location filename="../../screens/maintenance/window.py" line="52"/>
        <source>Maintenance</source>
        <translation>维护</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="90"/>
        <source>Maintenance mode</source>
        <translation>维护模式</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="93"/>
        <source>Menu</source>
        <translation>菜单</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="95"/>
        <source>Leave maintenance</source>
        <translation>退出维护</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="106"/>
        <source>Technician sign-in</source>
        <translation>技术人员登录</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="124"/>
        <source>Devices and paper</source>
        <translation>设备与纸张</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="125"/>
        <source>PIN pad key ceremony</source>
        <translation>密码键盘密钥灌装</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="126"/>
        <source>Payment journal</source>
        <translation>缴费流水</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="127"/>
        <source>Reconciliation</source>
        <translation>对账</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="128"/>
        <source>Terminal certificate</source>
        <translation>终端证书</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="129"/>
        <source>Configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="130"/>
        <source>Logs</source>
        <translation>日志</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="131"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="132"/>
        <source>Restart or shut down</source>
        <translation>重启或关机</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="154"/>
        <source>Technician: {who}</source>
        <translation>技术人员：{who}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="163"/>
        <source>Receipt paper is running out: about {left} receipts left. Put in a new roll.</source>
        <translation>小票纸即将用完：约剩{left}张，请更换新纸卷。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="173"/>
        <source>State directory cannot be written</source>
        <translation>状态目录无法写入</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="174"/>
        <source>Disk almost full</source>
        <translation>磁盘空间不足</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="175"/>
        <source>Payment journal damaged</source>
        <translation>缴费流水已损坏</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="176"/>
        <source>Unfinished payments not settled</source>
        <translation>未完成的缴费未能处理</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="177"/>
        <source>Demo or placeholder signing key</source>
        <translation>核验码密钥为演示密钥或占位符</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="178"/>
        <source>Terminal certificate missing or bad</source>
        <translation>终端证书缺失或无效</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="191"/>
        <source>Out of service — {name} ({kind}), since {since}: {detail}</source>
        <translation>暂停服务 — {name}（{kind}），自 {since} 起：{detail}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="196"/>
        <source>Update {version} installed: the kiosk restarts into it once idle after you leave.</source>
        <translation>更新 {version} 已安装：您离开维护模式后，终端空闲时将自动重启并使用新版本。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/window.py" line="199"/>
        <source>The audit log cannot be written: {n} entries kept in memory. Only viewing works.</source>
        <translation>审计日志无法写入：{n} 条记录暂存在内存中。只能查看。</translation>
    </message>
</context>
<context>
    <name>PowerPage</name>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="66"/>
        <source>Restart or shut down</source>
        <translation>重启或关机</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="68"/>
        <source>Restart the application</source>
        <translation>重启程序</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="69"/>
        <source>Shut down the kiosk</source>
        <translation>关闭终端</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="70"/>
        <source>Exit to the desktop</source>
        <translation>退出到桌面</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/logs_page.py" line="92"/>
        <source>Confirm: {action}</source>
        <translation>确认：{action}</translation>
    </message>
</context>
<context>
    <name>ReconcilePage</name>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="15"/>
        <source>Reconciliation</source>
        <translation>对账</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="17"/>
        <source>Reconcile</source>
        <translation>对账</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="19"/>
        <source>Day (YYYY-MM-DD)</source>
        <translation>日期（年-月-日）</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="23"/>
        <source>Export CSV</source>
        <translation>导出CSV</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="24"/>
        <source>Print receipt</source>
        <translation>打印小票</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="25"/>
        <source>Print A4 page</source>
        <translation>打印A4页</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="47"/>
        <source>Write the day as YYYY-MM-DD.</source>
        <translation>请按“年-月-日”格式填写日期。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="54"/>
        <source>Cannot reconcile: {error}</source>
        <translation>无法对账：{error}</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="57"/>
        <source>No unexplained difference.</source>
        <translation>没有未解释的差异。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="59"/>
        <source>{n} unexplained difference(s).</source>
        <translation>{n}笔未解释的差异。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="79"/>
        <source>Printed.</source>
        <translation>已打印。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/reconcile_page.py" line="83"/>
        <source>Printing failed: {error}</source>
        <translation>打印失败：{error}</translation>
    </message>
</context>
<context>
    <name>SignInPanel</name>
    <message>
        <location filename="../../screens/maintenance/signin.py" line="34"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/signin.py" line="39"/>
        <source>Technician ID</source>
        <translation>技术人员编号</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/signin.py" line="41"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/signin.py" line="60"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/signin.py" line="75"/>
        <source>Too many failed attempts. Maintenance is locked until {time}.</source>
        <translation>失败次数过多，维护模式已锁定至{time}。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/signin.py" line="78"/>
        <source>This technician is already signed in. A second technician is needed.</source>
        <translation>该技术人员已登录，需要另一名技术人员。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/signin.py" line="80"/>
        <source>Wrong technician ID or password.</source>
        <translation>技术人员编号或密码错误。</translation>
    </message>
    <message>
        <location filename="../../screens/maintenance/signin.py" line="84"/>
        <source>Sign-in failed: {error}</source>
        <translation>登录失败：{error}</translation>
    </message>
</context>
</TS>
