<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>flowbench::app::EditCommand</name>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
</context>
<context>
    <name>flowbench::app::Keyframes</name>
    <message>
        <source>one video at a time (got %1 and %2)</source>
        <translation>一次只能处理一个视频（收到了 %1 和 %2）</translation>
    </message>
    <message>
        <source>%1 needs a value</source>
        <translation>%1 需要一个值</translation>
    </message>
    <message>
        <source>unknown option %1</source>
        <translation>未知选项 %1</translation>
    </message>
    <message>
        <source>bad value for %1: %2</source>
        <translation>%1 的值无效：%2</translation>
    </message>
    <message>
        <source>%1: cannot create the folder</source>
        <translation>%1：无法创建文件夹</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>警告：%1</translation>
    </message>
</context>
<context>
    <name>flowbench::app::MainWindow</name>
    <message>
        <source>Workbench state (breakpoints, pinned outputs) is not exported. Secret environment variables are exported with empty values unless you keep them.</source>
        <translation>工作台状态（断点、固定的输出）不会被导出。除非选择保留，否则机密环境变量将以空值导出。</translation>
    </message>
    <message>
        <source>Keep secret values</source>
        <translation>保留机密值</translation>
    </message>
    <message>
        <source>&lt;b&gt;Warning:&lt;/b&gt; the exported file will contain API keys and other secrets in plain text. Do not share it or commit it to version control.</source>
        <translation>&lt;b&gt;警告：&lt;/b&gt;导出的文件将以明文包含 API 密钥及其他机密信息。请勿分享该文件，也不要将其提交到版本控制系统。</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>&amp;Workflow</source>
        <translation>工作流(&amp;W)</translation>
    </message>
    <message>
        <source>Start a new workflow</source>
        <translation>新建工作流</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新建</translation>
    </message>
    <message>
        <source>&amp;Chatflow</source>
        <translation>对话流(&amp;C)</translation>
    </message>
    <message>
        <source>Start a new chatflow (a conversational workflow)</source>
        <translation>新建对话流（支持多轮对话的工作流）</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Import Dify DSL…</source>
        <translation>导入 Dify DSL(&amp;I)…</translation>
    </message>
    <message>
        <source>Open a Dify DSL export (.yml) as a new, unsaved document</source>
        <translation>将 Dify DSL 导出文件（.yml）打开为一个未保存的新文档</translation>
    </message>
    <message>
        <source>&amp;Export for Dify (YAML)…</source>
        <translation>导出到 Dify (YAML)(&amp;E)…</translation>
    </message>
    <message>
        <source>Export JSON for &amp;Deployment…</source>
        <translation>导出部署用 JSON(&amp;D)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>&amp;About Flowbench</source>
        <translation>关于 Flowbench(&amp;A)</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Outline</source>
        <translation>大纲</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Cannot Open Workflow</source>
        <translation>无法打开工作流</translation>
    </message>
    <message>
        <source>Flowbench cannot open %1.

%2</source>
        <translation>Flowbench 无法打开 %1。

%2</translation>
    </message>
    <message>
        <source>Cannot Open Example</source>
        <translation>无法打开示例</translation>
    </message>
    <message>
        <source>The bundled example is missing from this build.</source>
        <translation>此构建中缺少内置示例。</translation>
    </message>
    <message>
        <source>Open Workflow</source>
        <translation>打开工作流</translation>
    </message>
    <message>
        <source>Workflows (*.json *.yml *.yaml);;Flowbench workflows (*.json);;Dify DSL (*.yml *.yaml);;All files (*)</source>
        <translation>工作流 (*.json *.yml *.yaml);;Flowbench 工作流 (*.json);;Dify DSL (*.yml *.yaml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Import Dify DSL</source>
        <translation>导入 Dify DSL</translation>
    </message>
    <message>
        <source>Dify DSL (*.yml *.yaml)</source>
        <translation>Dify DSL (*.yml *.yaml)</translation>
    </message>
    <message>
        <source>Save Workflow</source>
        <translation>保存工作流</translation>
    </message>
    <message>
        <source>Flowbench workflow (*.json);;Dify DSL (*.yml *.yaml)</source>
        <translation>Flowbench 工作流 (*.json);;Dify DSL (*.yml *.yaml)</translation>
    </message>
    <message>
        <source>Cannot Save Workflow</source>
        <translation>无法保存工作流</translation>
    </message>
    <message>
        <source>Flowbench cannot save %1.

%2</source>
        <translation>Flowbench 无法保存 %1。

%2</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <source>Export for Dify</source>
        <translation>导出到 Dify</translation>
    </message>
    <message>
        <source>Export JSON for Deployment</source>
        <translation>导出部署用 JSON</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Cannot Export Workflow</source>
        <translation>无法导出工作流</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>Do you want to save the changes to %1?</source>
        <translation>是否保存对 %1 的更改？</translation>
    </message>
    <message>
        <source>Your changes will be lost if you don&apos;t save them.</source>
        <translation>如果不保存，您的更改将会丢失。</translation>
    </message>
    <message>
        <source>Recover Unsaved Changes</source>
        <translation>恢复未保存的更改</translation>
    </message>
    <message>
        <source>Recover unsaved changes from %1?</source>
        <translation>是否恢复 %1 中未保存的更改？</translation>
    </message>
    <message>
        <source>Flowbench quit before an untitled workflow was saved.</source>
        <translation>Flowbench 在保存一个未命名工作流之前退出了。</translation>
    </message>
    <message>
        <source>Flowbench quit before changes to %1 were saved.</source>
        <translation>Flowbench 在保存对 %1 的更改之前退出了。</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Not Now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <source>Cannot Recover</source>
        <translation>无法恢复</translation>
    </message>
    <message>
        <source>%1[*] — Flowbench</source>
        <translation>%1[*] — Flowbench</translation>
    </message>
    <message>
        <source>%1 nodes, %2 edges · %3 errors, %4 warnings</source>
        <translation>%1 个节点，%2 条连线 · %3 个错误，%4 个警告</translation>
    </message>
    <message>
        <source>Clear Menu</source>
        <translation>清除菜单</translation>
    </message>
    <message>
        <source>About Flowbench</source>
        <translation>关于 Flowbench</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Flowbench %1&lt;/h3&gt;&lt;p&gt;A native workbench for designing and debugging Dify-compatible LLM workflows.&lt;/p&gt;&lt;p&gt;Built with Qt %2, running on Qt %3.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Flowbench %1&lt;/h3&gt;&lt;p&gt;用于设计和调试 Dify 兼容 LLM 工作流的原生工作台。&lt;/p&gt;&lt;p&gt;基于 Qt %2 构建，运行于 Qt %3。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <source>Run the workflow (F5); continue a paused run</source>
        <translation>运行工作流（F5）；或继续已暂停的运行</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause before the next node starts</source>
        <translation>在下一个节点开始前暂停</translation>
    </message>
    <message>
        <source>&amp;Step</source>
        <translation>单步(&amp;S)</translation>
    </message>
    <message>
        <source>Run one node, then pause again (F10)</source>
        <translation>运行一个节点后再次暂停（F10）</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <source>Toggle &amp;Breakpoint</source>
        <translation>切换断点(&amp;B)</translation>
    </message>
    <message>
        <source>Pause runs before the selected node starts (F9)</source>
        <translation>在所选节点开始前暂停运行（F9）</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Run History</source>
        <translation>运行历史</translation>
    </message>
    <message>
        <source>Cannot replay</source>
        <translation>无法回放</translation>
    </message>
    <message>
        <source>Runs are not recorded.</source>
        <translation>当前未记录运行。</translation>
    </message>
    <message>
        <source>&amp;Debug</source>
        <translation>调试(&amp;D)</translation>
    </message>
    <message>
        <source>Cu&amp;t</source>
        <translation>剪切(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Paste</source>
        <translation>粘贴(&amp;P)</translation>
    </message>
    <message>
        <source>D&amp;uplicate</source>
        <translation>创建副本(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Delete</source>
        <translation>删除(&amp;D)</translation>
    </message>
    <message>
        <source>Select &amp;All</source>
        <translation>全选(&amp;A)</translation>
    </message>
    <message>
        <source>A&amp;lign</source>
        <translation>对齐(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Left Edges</source>
        <translation>左对齐(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Horizontal Centres</source>
        <translation>水平居中(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Right Edges</source>
        <translation>右对齐(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Top Edges</source>
        <translation>顶端对齐(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Vertical Centres</source>
        <translation>垂直居中(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Bottom Edges</source>
        <translation>底端对齐(&amp;B)</translation>
    </message>
    <message>
        <source>Dis&amp;tribute</source>
        <translation>分布(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Horizontally</source>
        <translation>水平分布(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Vertically</source>
        <translation>垂直分布(&amp;V)</translation>
    </message>
    <message>
        <source>Auto &amp;Layout</source>
        <translation>自动布局(&amp;L)</translation>
    </message>
    <message>
        <source>Lay Out &amp;Selection</source>
        <translation>布局所选节点(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Workflow Settings…</source>
        <translation>工作流设置(&amp;W)…</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>设置(&amp;T)…</translation>
    </message>
    <message>
        <source>Select a node to set a breakpoint on it.</source>
        <translation>请先选择一个节点，再在其上设置断点。</translation>
    </message>
    <message>
        <source>Cannot run</source>
        <translation>无法运行</translation>
    </message>
    <message>
        <source>Stop the current run to look at a recorded one.</source>
        <translation>请先停止当前运行，再查看已记录的运行。</translation>
    </message>
    <message numerus="yes">
        <source>Showing a recorded run (%n event(s))</source>
        <translation>
            <numerusform>正在显示已记录的运行（%n 个事件）</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Continue</source>
        <translation>继续(&amp;C)</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>正在运行…</translation>
    </message>
    <message numerus="yes">
        <source>Running: %n node(s) finished</source>
        <translation>
            <numerusform>正在运行：已完成 %n 个节点</numerusform>
        </translation>
    </message>
    <message>
        <source>Paused before %1</source>
        <translation>已在 %1 之前暂停</translation>
    </message>
    <message>
        <source>Run succeeded in %1 s</source>
        <translation>运行成功，耗时 %1 秒</translation>
    </message>
    <message>
        <source>Run failed: %1</source>
        <translation>运行失败：%1</translation>
    </message>
    <message>
        <source>Run stopped</source>
        <translation>运行已停止</translation>
    </message>
    <message>
        <source>Step &amp;Into Container</source>
        <translation>单步进入容器(&amp;I)</translation>
    </message>
    <message>
        <source>Paused before an iteration or loop: stop at its first node (F11)</source>
        <translation>暂停在迭代或循环之前时：进入并停在其第一个节点（F11）</translation>
    </message>
    <message>
        <source>Usage &amp;&amp; Cost</source>
        <translation>用量与费用</translation>
    </message>
    <message>
        <source>New from &amp;Example</source>
        <translation>从示例新建(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Estimated cost: $%1 – $%2 (%3 prompt tokens, at most %4 completion tokens)</source>
        <translation>预估费用：$%1 – $%2（提示词 %3 个 token，补全最多 %4 个 token）</translation>
    </message>
    <message numerus="yes">
        <source>%n LLM node(s) unpriced: set their prices in Tools › Model Prices.</source>
        <translation>
            <numerusform>有 %n 个 LLM 节点未定价：请在“工具 › 模型价格”中设置其价格。</numerusform>
        </translation>
    </message>
    <message>
        <source>Run a workflow from elsewhere?</source>
        <translation>要运行来自其他来源的工作流吗？</translation>
    </message>
    <message>
        <source>%1 was not made on this computer. Running it executes its code and sends its HTTP requests:

%2

Run it only if you trust where it came from.</source>
        <translation>%1 并非在本机创建。运行它将执行其中的代码并发送其中的 HTTP 请求：

%2

请仅在信任其来源时运行。</translation>
    </message>
    <message>
        <source>Trust and Run</source>
        <translation>信任并运行</translation>
    </message>
    <message>
        <source>Estimating the cost…</source>
        <translation>正在估算费用…</translation>
    </message>
    <message>
        <source>Run to &amp;Here</source>
        <translation>运行到此处(&amp;H)</translation>
    </message>
    <message>
        <source>Run &amp;This Node…</source>
        <translation>运行此节点(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Re-run from Here</source>
        <translation>从此处重新运行(&amp;R)</translation>
    </message>
    <message>
        <source>Cannot re-run</source>
        <translation>无法重新运行</translation>
    </message>
    <message>
        <source>Breakpoint &amp;Condition…</source>
        <translation>断点条件(&amp;C)…</translation>
    </message>
    <message>
        <source>Breakpoint Condition</source>
        <translation>断点条件</translation>
    </message>
    <message>
        <source>Pause only when this JavaScript expression is true (empty: always).
Example: v(&quot;sys.query&quot;).includes(&quot;refund&quot;)</source>
        <translation>仅当此 JavaScript 表达式为真时暂停（留空：总是暂停）。
示例：v(&quot;sys.query&quot;).includes(&quot;refund&quot;)</translation>
    </message>
    <message>
        <source>&amp;Unpin Output</source>
        <translation>取消固定输出(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Pin Output…</source>
        <translation>固定输出(&amp;P)…</translation>
    </message>
    <message>
        <source>&amp;Force Failure</source>
        <translation>强制失败(&amp;F)</translation>
    </message>
    <message>
        <source>The node fails in the next runs, so its error strategy can be tried</source>
        <translation>该节点将在之后的运行中失败，以便测试其异常处理策略</translation>
    </message>
    <message>
        <source>Failure forced from the workbench</source>
        <translation>已由工作台强制失败</translation>
    </message>
    <message>
        <source>Cannot run the node</source>
        <translation>无法运行该节点</translation>
    </message>
    <message>
        <source>Pin Output</source>
        <translation>固定输出</translation>
    </message>
    <message>
        <source>The node will not run; later nodes read these outputs (a JSON object):</source>
        <translation>该节点将不会运行；后续节点将读取以下输出（JSON 对象）：</translation>
    </message>
    <message>
        <source>The outputs must be a JSON object, like {&quot;text&quot;: &quot;…&quot;}.</source>
        <translation>输出必须是 JSON 对象，例如 {&quot;text&quot;: &quot;…&quot;}。</translation>
    </message>
    <message>
        <source>Welcome to Flowbench</source>
        <translation>欢迎使用 Flowbench</translation>
    </message>
    <message>
        <source>&lt;h2&gt;Welcome to Flowbench&lt;/h2&gt;&lt;p&gt;Design Dify-compatible workflows, run them against vLLM or any OpenAI-compatible endpoint, and debug them step by step.&lt;/p&gt;&lt;p&gt;Runs use the built-in &lt;b&gt;Simulator&lt;/b&gt; endpoint until you set up your own, so every example works offline.&lt;/p&gt;</source>
        <translation>&lt;h2&gt;欢迎使用 Flowbench&lt;/h2&gt;&lt;p&gt;设计兼容 Dify 的工作流，在 vLLM 或任何兼容 OpenAI 的端点上运行，并逐步调试。&lt;/p&gt;&lt;p&gt;在您设置自己的端点之前，运行将使用内置的&lt;b&gt;模拟器&lt;/b&gt;端点，因此所有示例都可以离线运行。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open an Example</source>
        <translation>打开示例</translation>
    </message>
    <message>
        <source>Import a Dify DSL File…</source>
        <translation>导入 Dify DSL 文件…</translation>
    </message>
    <message>
        <source>Set Up an Endpoint…</source>
        <translation>设置端点…</translation>
    </message>
    <message>
        <source>Show this at startup</source>
        <translation>启动时显示此页</translation>
    </message>
    <message>
        <source>Usage alert: %1</source>
        <translation>用量告警：%1</translation>
    </message>
    <message>
        <source>Flowbench usage alert</source>
        <translation>Flowbench 用量告警</translation>
    </message>
    <message>
        <source>Model &amp;Prices…</source>
        <translation>模型价格(&amp;P)…</translation>
    </message>
    <message>
        <source>Usage &amp;Alerts…</source>
        <translation>用量告警(&amp;A)…</translation>
    </message>
    <message>
        <source>Serve Prometheus &amp;Metrics</source>
        <translation>提供 Prometheus 指标(&amp;M)</translation>
    </message>
    <message>
        <source>Expose /metrics on 127.0.0.1 (port from the settings, 9091 by default) for a Prometheus server to scrape</source>
        <translation>在 127.0.0.1 上公开 /metrics（端口取自设置，默认为 9091），供 Prometheus 服务器抓取</translation>
    </message>
    <message>
        <source>Cannot serve metrics: %1</source>
        <translation>无法提供指标服务：%1</translation>
    </message>
    <message>
        <source>Prometheus metrics at http://127.0.0.1:%1/metrics</source>
        <translation>Prometheus 指标地址：http://127.0.0.1:%1/metrics</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>对话</translation>
    </message>
    <message>
        <source>The open workflow is not a chatflow: open or create a chatflow to chat with it, or switch the chat to Endpoint mode.</source>
        <translation>当前打开的工作流不是对话流：请打开或新建一个对话流再与之对话，或将对话切换到端点模式。</translation>
    </message>
    <message>
        <source>Not run: the workflow is not trusted.</source>
        <translation>未运行：该工作流不受信任。</translation>
    </message>
</context>
<context>
    <name>flowbench::app::RunController</name>
    <message>
        <source>A run is already in progress.</source>
        <translation>已有运行正在进行。</translation>
    </message>
    <message>
        <source>Variables can only be edited while the run is paused.</source>
        <translation>只有在运行暂停时才能编辑变量。</translation>
    </message>
    <message>
        <source>There is no node &apos;%1&apos;.</source>
        <translation>不存在节点 &apos;%1&apos;。</translation>
    </message>
    <message>
        <source>Re-run from a node needs a recorded run of this workflow: run it first.</source>
        <translation>从节点重新运行需要此工作流的运行记录：请先运行一次。</translation>
    </message>
</context>
<context>
    <name>flowbench::canvas::AddNodePopup</name>
    <message>
        <source>Search nodes</source>
        <translation>搜索节点</translation>
    </message>
</context>
<context>
    <name>flowbench::canvas::FindNodeBar</name>
    <message>
        <source>Find node by title, id or type</source>
        <translation>按标题、id 或类型查找节点</translation>
    </message>
    <message>
        <source>No match</source>
        <translation>无匹配项</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>上一个匹配项（Shift+F3）</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>下一个匹配项（F3）</translation>
    </message>
    <message>
        <source>Close (Escape)</source>
        <translation>关闭（Esc）</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n 个匹配项</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 / %2</translation>
    </message>
</context>
<context>
    <name>flowbench::canvas::MiniMap</name>
    <message>
        <source>Minimap: click or drag to move the view</source>
        <translation>小地图：单击或拖动以移动视图</translation>
    </message>
</context>
<context>
    <name>flowbench::canvas::NodeItem</name>
    <message>
        <source>Variables: %1</source>
        <translation>变量：%1</translation>
    </message>
    <message>
        <source>Unsupported: %1</source>
        <translation>不支持：%1</translation>
    </message>
    <message>
        <source>(no type)</source>
        <translation>（无类型）</translation>
    </message>
    <message>
        <source>No conditions</source>
        <translation>无条件</translation>
    </message>
    <message>
        <source>At most %1 turns</source>
        <translation>最多 %1 轮</translation>
    </message>
    <message>
        <source>SUCCESS</source>
        <translation>SUCCESS</translation>
    </message>
</context>
<context>
    <name>flowbench::canvas::NodePalette</name>
    <message>
        <source>No matching nodes</source>
        <translation>没有匹配的节点</translation>
    </message>
    <message>
        <source>Search nodes</source>
        <translation>搜索节点</translation>
    </message>
</context>
<context>
    <name>flowbench::canvas::RunOverlay</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>Paused before this node: breakpoint</source>
        <translation>已在此节点之前暂停：断点</translation>
    </message>
    <message>
        <source>Paused before this node: step</source>
        <translation>已在此节点之前暂停：单步</translation>
    </message>
    <message>
        <source>Paused before this node</source>
        <translation>已在此节点之前暂停</translation>
    </message>
    <message>
        <source>Running item %1</source>
        <translation>正在运行第 %1 项</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>正在运行</translation>
    </message>
    <message>
        <source>Item %1</source>
        <translation>第 %1 项</translation>
    </message>
    <message>
        <source>Paused here</source>
        <translation>已在此处暂停</translation>
    </message>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed; its error strategy applied: %1</source>
        <translation>失败；已应用其异常处理策略：%1</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>Skipped: the run did not take a branch that leads here</source>
        <translation>已跳过：本次运行未进入通向此处的分支</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Stopped before it finished</source>
        <translation>在完成前已停止</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message numerus="yes">
        <source>%n tokens</source>
        <translation>
            <numerusform>%n 个 token</numerusform>
        </translation>
    </message>
    <message>
        <source>Time: %1</source>
        <translation>耗时：%1</translation>
    </message>
    <message numerus="yes">
        <source>Ran %n times</source>
        <translation>
            <numerusform>运行了 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <source>Tokens: %1</source>
        <translation>Token：%1</translation>
    </message>
    <message numerus="yes">
        <source>Retried %n times</source>
        <translation>
            <numerusform>重试了 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <source>Breakpoint: the run pauses before this node (click to remove)</source>
        <translation>断点：运行会在此节点之前暂停（单击以移除）</translation>
    </message>
    <message>
        <source>Conditional breakpoint: pauses when %1 (click to remove)</source>
        <translation>条件断点：当 %1 时暂停（单击以移除）</translation>
    </message>
    <message>
        <source>Output pinned</source>
        <translation>输出已固定</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>Set a breakpoint: the run pauses before this node (F9)</source>
        <translation>设置断点：运行会在此节点之前暂停（F9）</translation>
    </message>
</context>
<context>
    <name>flowbench::canvas::WorkflowScene</name>
    <message>
        <source>Move node</source>
        <translation>移动节点</translation>
    </message>
    <message numerus="yes">
        <source>Move %n nodes</source>
        <translation>
            <numerusform>移动 %n 个节点</numerusform>
        </translation>
    </message>
    <message>
        <source>Connect nodes</source>
        <translation>连接节点</translation>
    </message>
    <message>
        <source>Re-route edge</source>
        <translation>重新连接连线</translation>
    </message>
    <message>
        <source>Resize</source>
        <translation>调整大小</translation>
    </message>
    <message>
        <source>Edit note</source>
        <translation>编辑注释</translation>
    </message>
    <message>
        <source>The node %1 no longer exists.</source>
        <translation>节点 %1 已不存在。</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>添加 %1</translation>
    </message>
    <message>
        <source>The start node of an iteration or loop is deleted with its container.</source>
        <translation>迭代或循环的开始节点会随其容器一起删除。</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n edge(s)</source>
        <translation>
            <numerusform>删除 %n 条连线</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Delete %n node(s)</source>
        <translation>
            <numerusform>删除 %n 个节点</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Paste %n node(s)</source>
        <translation>
            <numerusform>粘贴 %n 个节点</numerusform>
        </translation>
    </message>
    <message>
        <source>The clipboard holds no Flowbench nodes.</source>
        <translation>剪贴板中没有 Flowbench 节点。</translation>
    </message>
    <message numerus="yes">
        <source>Align %n node(s)</source>
        <translation>
            <numerusform>对齐 %n 个节点</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Distribute %n node(s)</source>
        <translation>
            <numerusform>分布 %n 个节点</numerusform>
        </translation>
    </message>
    <message>
        <source>Auto Layout</source>
        <translation>自动布局</translation>
    </message>
</context>
<context>
    <name>flowbench::canvas::WorkflowView</name>
    <message>
        <source>Fit All</source>
        <translation>适应全部</translation>
    </message>
    <message>
        <source>Zoom to show the whole workflow</source>
        <translation>缩放以显示整个工作流</translation>
    </message>
    <message>
        <source>Zoom In</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom in on the centre of the canvas</source>
        <translation>以画布中心为基准放大</translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Zoom out from the centre of the canvas</source>
        <translation>以画布中心为基准缩小</translation>
    </message>
    <message>
        <source>Zoom to 100%</source>
        <translation>缩放到 100%</translation>
    </message>
    <message>
        <source>Fit Selection</source>
        <translation>适应所选内容</translation>
    </message>
    <message>
        <source>Zoom to show the selected nodes</source>
        <translation>缩放以显示所选节点</translation>
    </message>
    <message>
        <source>Minimap</source>
        <translation>小地图</translation>
    </message>
    <message>
        <source>Show an overview of the whole workflow</source>
        <translation>显示整个工作流的概览</translation>
    </message>
    <message>
        <source>Find Node…</source>
        <translation>查找节点…</translation>
    </message>
    <message>
        <source>Find a node by title, id or type</source>
        <translation>按标题、id 或类型查找节点</translation>
    </message>
</context>
<context>
    <name>flowbench::document::Dsl</name>
    <message>
        <source>file is %1 bytes; the limit is 10 MiB</source>
        <translation>文件大小为 %1 字节，上限为 10 MiB</translation>
    </message>
    <message>
        <source>invalid UTF-8 (byte 0x%1 at offset %2)</source>
        <translation>无效的 UTF-8（偏移 %2 处的字节 0x%1）</translation>
    </message>
    <message>
        <source>a string holds U+FFFE or U+FFFF, Unicode noncharacters that YAML (and so Dify) cannot carry</source>
        <translation>字符串包含 U+FFFE 或 U+FFFF，这些 Unicode 非字符无法用 YAML（因而也无法在 Dify 中）保存</translation>
    </message>
    <message>
        <source>duplicate key &apos;%1&apos;</source>
        <translation>重复的键 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>invalid JSON</source>
        <translation>无效的 JSON</translation>
    </message>
    <message>
        <source>%1 must be a list</source>
        <translation>%1 必须是列表</translation>
    </message>
    <message>
        <source>variable entry must be a mapping</source>
        <translation>变量条目必须是映射</translation>
    </message>
    <message>
        <source>variable needs a string &apos;name&apos;</source>
        <translation>变量需要字符串类型的 &apos;name&apos;</translation>
    </message>
    <message>
        <source>the document must be a mapping with &apos;app&apos; and &apos;workflow&apos;</source>
        <translation>文档必须是包含 &apos;app&apos; 和 &apos;workflow&apos; 的映射</translation>
    </message>
    <message>
        <source>Invalid version type: &apos;version&apos; must be a string (write version: &apos;%1&apos; with quotes)</source>
        <translation>Invalid version type：&apos;version&apos; 必须是字符串（请加引号写成 version: &apos;%1&apos;）</translation>
    </message>
    <message>
        <source>Invalid version &apos;%1&apos;: expected major.minor.patch</source>
        <translation>无效的版本 &apos;%1&apos;：应为 major.minor.patch</translation>
    </message>
    <message>
        <source>DSL version %1 is newer than the newest Flowbench knows (%2); unknown fields are kept but may not run</source>
        <translation>DSL 版本 %1 比 Flowbench 已知的最新版本（%2）更新；未知字段会被保留，但可能无法运行</translation>
    </message>
    <message>
        <source>DSL version %1 is an older major version than %2</source>
        <translation>DSL 版本 %1 的主版本低于 %2</translation>
    </message>
    <message>
        <source>no &apos;version&apos;: treated as 0.1.0, as Dify does</source>
        <translation>缺少 &apos;version&apos;：按 Dify 的做法视为 0.1.0</translation>
    </message>
    <message>
        <source>&apos;kind&apos; %1 is not &apos;app&apos;: imported as an app, as Dify does</source>
        <translation>&apos;kind&apos; %1 不是 &apos;app&apos;：按 Dify 的做法作为应用导入</translation>
    </message>
    <message>
        <source>no &apos;kind&apos;: treated as &apos;app&apos;</source>
        <translation>缺少 &apos;kind&apos;：视为 &apos;app&apos;</translation>
    </message>
    <message>
        <source>&apos;app&apos; must be a mapping</source>
        <translation>&apos;app&apos; 必须是映射</translation>
    </message>
    <message>
        <source>missing &apos;app&apos; section</source>
        <translation>缺少 &apos;app&apos; 部分</translation>
    </message>
    <message>
        <source>app mode &apos;%1&apos; has no &apos;workflow&apos; section; Flowbench opens workflow and advanced-chat (chatflow) apps</source>
        <translation>应用模式 &apos;%1&apos; 没有 &apos;workflow&apos; 部分；Flowbench 只能打开 workflow 和 advanced-chat（对话流）应用</translation>
    </message>
    <message>
        <source>&apos;workflow&apos; must be a mapping</source>
        <translation>&apos;workflow&apos; 必须是映射</translation>
    </message>
    <message>
        <source>&apos;workflow.graph&apos; is missing or not a mapping</source>
        <translation>&apos;workflow.graph&apos; 缺失或不是映射</translation>
    </message>
    <message>
        <source>&apos;workflow.graph.nodes&apos; must be a list</source>
        <translation>&apos;workflow.graph.nodes&apos; 必须是列表</translation>
    </message>
    <message>
        <source>node entry must be a mapping</source>
        <translation>节点条目必须是映射</translation>
    </message>
    <message>
        <source>node needs a string &apos;id&apos;</source>
        <translation>节点需要字符串类型的 &apos;id&apos;</translation>
    </message>
    <message>
        <source>node &apos;data&apos; must be a mapping</source>
        <translation>节点的 &apos;data&apos; 必须是映射</translation>
    </message>
    <message>
        <source>&apos;workflow.graph.edges&apos; must be a list</source>
        <translation>&apos;workflow.graph.edges&apos; 必须是列表</translation>
    </message>
    <message>
        <source>edge entry must be a mapping</source>
        <translation>连线条目必须是映射</translation>
    </message>
    <message>
        <source>edge needs a string &apos;%1&apos;</source>
        <translation>连线需要字符串类型的 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>edge &apos;%1&apos; must be a string</source>
        <translation>连线的 &apos;%1&apos; 必须是字符串</translation>
    </message>
    <message>
        <source>cannot open: %1</source>
        <translation>无法打开：%1</translation>
    </message>
    <message>
        <source>cannot write: %1</source>
        <translation>无法写入：%1</translation>
    </message>
    <message>
        <source>unknown alias &apos;*%1&apos;</source>
        <translation>未知的别名 &apos;*%1&apos;</translation>
    </message>
    <message>
        <source>aliases expand to more than %1 values</source>
        <translation>别名展开后超过 %1 个值</translation>
    </message>
    <message>
        <source>an alias cannot be a mapping key</source>
        <translation>别名不能作为映射的键</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid !!%2</source>
        <translation>&apos;%1&apos; 不是有效的 !!%2</translation>
    </message>
    <message>
        <source>unsupported YAML tag &apos;%1&apos;</source>
        <translation>不支持的 YAML 标签 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos; (infinity or NaN) cannot be stored in a workflow; quote it to keep it as text</source>
        <translation>&apos;%1&apos;（无穷大或 NaN）无法保存在工作流中；请加引号作为文本保留</translation>
    </message>
    <message>
        <source>a %1 cannot be a mapping key</source>
        <translation>%1 不能作为映射的键</translation>
    </message>
    <message>
        <source>nesting deeper than 512 levels</source>
        <translation>嵌套深度超过 512 层</translation>
    </message>
    <message>
        <source>more than %1 values</source>
        <translation>超过 %1 个值</translation>
    </message>
    <message>
        <source>invalid YAML</source>
        <translation>无效的 YAML</translation>
    </message>
    <message>
        <source>more than one YAML document in the file</source>
        <translation>文件中有多个 YAML 文档</translation>
    </message>
    <message>
        <source>the file holds no YAML document</source>
        <translation>文件中没有 YAML 文档</translation>
    </message>
</context>
<context>
    <name>flowbench::document::GraphEdits</name>
    <message>
        <source>The node to connect no longer exists.</source>
        <translation>要连接的节点已不存在。</translation>
    </message>
    <message>
        <source>A node cannot connect to itself.</source>
        <translation>节点不能连接到自身。</translation>
    </message>
    <message>
        <source>Notes cannot be connected.</source>
        <translation>注释不能被连接。</translation>
    </message>
    <message>
        <source>“%1” has no outputs.</source>
        <translation>“%1”没有输出。</translation>
    </message>
    <message>
        <source>“%1” has no output “%2”.</source>
        <translation>“%1”没有输出“%2”。</translation>
    </message>
    <message>
        <source>“%1” has no input.</source>
        <translation>“%1”没有输入。</translation>
    </message>
    <message>
        <source>Edges cannot cross an iteration or loop boundary.</source>
        <translation>连线不能跨越迭代或循环的边界。</translation>
    </message>
    <message>
        <source>These nodes are already connected.</source>
        <translation>这些节点已经连接。</translation>
    </message>
    <message>
        <source>This connection would create a cycle.</source>
        <translation>此连接会形成环。</translation>
    </message>
    <message>
        <source>“%1” is not a node that can be added.</source>
        <translation>“%1”不是可添加的节点。</translation>
    </message>
    <message>
        <source>Nodes can only be placed inside an iteration or loop.</source>
        <translation>节点只能放在迭代或循环内部。</translation>
    </message>
    <message>
        <source>An iteration or loop cannot be placed inside another.</source>
        <translation>迭代或循环不能放在另一个迭代或循环内部。</translation>
    </message>
    <message>
        <source>%1 cannot be placed inside an iteration or loop.</source>
        <translation>%1 不能放在迭代或循环内部。</translation>
    </message>
    <message>
        <source>Exit Loop can only be placed inside a loop.</source>
        <translation>退出循环只能放在循环内部。</translation>
    </message>
    <message>
        <source>Add %1</source>
        <translation>添加 %1</translation>
    </message>
    <message>
        <source>Connect nodes</source>
        <translation>连接节点</translation>
    </message>
    <message>
        <source>The connection no longer exists.</source>
        <translation>该连接已不存在。</translation>
    </message>
    <message>
        <source>Reconnect edge</source>
        <translation>重新连接连线</translation>
    </message>
    <message>
        <source>The clipboard does not hold nodes.</source>
        <translation>剪贴板中没有节点。</translation>
    </message>
    <message>
        <source>The clipboard does not hold nodes (no “flowbench_clipboard” field).</source>
        <translation>剪贴板中没有节点（缺少“flowbench_clipboard”字段）。</translation>
    </message>
    <message>
        <source>The clipboard data has no “nodes” list.</source>
        <translation>剪贴板数据中没有“nodes”列表。</translation>
    </message>
    <message>
        <source>The clipboard data&apos;s “edges” field is not a list.</source>
        <translation>剪贴板数据的“edges”字段不是列表。</translation>
    </message>
    <message>
        <source>Nodes can only be pasted into an iteration or loop.</source>
        <translation>节点只能粘贴到迭代或循环内部。</translation>
    </message>
    <message>
        <source>Node %1 of the clipboard data has no “id”.</source>
        <translation>剪贴板数据中的节点 %1 没有“id”。</translation>
    </message>
    <message>
        <source>Node %1 of the clipboard data has no “data”.</source>
        <translation>剪贴板数据中的节点 %1 没有“data”。</translation>
    </message>
    <message>
        <source>The clipboard data has two nodes with the id “%1”.</source>
        <translation>剪贴板数据中有两个节点的 id 都是“%1”。</translation>
    </message>
    <message>
        <source>The clipboard data holds no nodes.</source>
        <translation>剪贴板数据中没有节点。</translation>
    </message>
    <message>
        <source>The clipboard data holds no nodes to paste.</source>
        <translation>剪贴板数据中没有可粘贴的节点。</translation>
    </message>
    <message>
        <source>Paste node</source>
        <translation>粘贴节点</translation>
    </message>
    <message numerus="yes">
        <source>Paste %n nodes</source>
        <translation>
            <numerusform>粘贴 %n 个节点</numerusform>
        </translation>
    </message>
    <message>
        <source>Align left</source>
        <translation>左对齐</translation>
    </message>
    <message>
        <source>Align centres horizontally</source>
        <translation>水平居中对齐</translation>
    </message>
    <message>
        <source>Align right</source>
        <translation>右对齐</translation>
    </message>
    <message>
        <source>Align top</source>
        <translation>顶端对齐</translation>
    </message>
    <message>
        <source>Align centres vertically</source>
        <translation>垂直居中对齐</translation>
    </message>
    <message>
        <source>Align bottom</source>
        <translation>底端对齐</translation>
    </message>
    <message>
        <source>Distribute horizontally</source>
        <translation>水平分布</translation>
    </message>
    <message>
        <source>Distribute vertically</source>
        <translation>垂直分布</translation>
    </message>
    <message>
        <source>Auto layout</source>
        <translation>自动布局</translation>
    </message>
</context>
<context>
    <name>flowbench::document::Validator</name>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>another node already has the id &apos;%1&apos;; ids must be unique</source>
        <translation>已有另一个节点使用 id &apos;%1&apos;；id 必须唯一</translation>
    </message>
    <message>
        <source>the node has no &apos;data.type&apos;, so its kind is unknown</source>
        <translation>该节点没有 &apos;data.type&apos;，因此无法确定其类型</translation>
    </message>
    <message>
        <source>node kind &apos;%1&apos; is not supported by Flowbench; it is kept as is, but the workflow cannot run</source>
        <translation>Flowbench 不支持节点类型 &apos;%1&apos;；该节点将原样保留，但工作流无法运行</translation>
    </message>
    <message>
        <source>the node belongs to container &apos;%1&apos;, which does not exist</source>
        <translation>该节点所属的容器 &apos;%1&apos; 不存在</translation>
    </message>
    <message>
        <source>the node belongs to &apos;%1&apos;, which is not an iteration or loop</source>
        <translation>该节点所属的 &apos;%1&apos; 不是迭代或循环节点</translation>
    </message>
    <message>
        <source>environment variable &apos;%1&apos; holds %2 KB; Dify refuses values over 200 KB</source>
        <translation>环境变量 &apos;%1&apos; 的值为 %2 KB；Dify 不接受超过 200 KB 的值</translation>
    </message>
    <message>
        <source>another edge already has the id &apos;%1&apos;; ids must be unique</source>
        <translation>已有另一条连线使用 id &apos;%1&apos;；id 必须唯一</translation>
    </message>
    <message>
        <source>edge &apos;%1&apos; starts at node &apos;%2&apos;, which does not exist</source>
        <translation>连线 &apos;%1&apos; 的起始节点 &apos;%2&apos; 不存在</translation>
    </message>
    <message>
        <source>edge &apos;%1&apos; ends at node &apos;%2&apos;, which does not exist</source>
        <translation>连线 &apos;%1&apos; 的目标节点 &apos;%2&apos; 不存在</translation>
    </message>
    <message>
        <source>edge &apos;%1&apos; leaves &apos;%2&apos; from handle &apos;%3&apos;, which the node does not offer (it offers: %4)</source>
        <translation>连线 &apos;%1&apos; 从 &apos;%2&apos; 的连接点 &apos;%3&apos; 引出，但该节点没有此连接点（可用连接点：%4）</translation>
    </message>
    <message>
        <source>the workflow has more than one start node; keep one</source>
        <translation>工作流中有多个开始节点；请只保留一个</translation>
    </message>
    <message>
        <source>end nodes exist only in workflows; a chatflow replies through answer nodes</source>
        <translation>结束节点仅用于工作流；对话流通过直接回复节点进行回复</translation>
    </message>
    <message>
        <source>answer nodes belong to chatflows; in a workflow, return results through an end node</source>
        <translation>直接回复节点仅用于对话流；在工作流中，请通过结束节点返回结果</translation>
    </message>
    <message>
        <source>the workflow has no start node</source>
        <translation>工作流缺少开始节点</translation>
    </message>
    <message>
        <source>a workflow needs an end node to return its outputs</source>
        <translation>工作流需要一个结束节点来返回输出</translation>
    </message>
    <message>
        <source>a chatflow needs an answer node to reply</source>
        <translation>对话流需要一个直接回复节点来进行回复</translation>
    </message>
    <message>
        <source>the node is connected to itself; Dify graphs cannot have cycles (use a loop node to repeat steps)</source>
        <translation>该节点连接到了自身；Dify 的流程图中不能有环（如需重复执行步骤，请使用循环节点）</translation>
    </message>
    <message>
        <source>the node is on a cycle with %1; Dify graphs cannot have cycles (use a loop node to repeat steps)</source>
        <translation>该节点与 %1 构成了环；Dify 的流程图中不能有环（如需重复执行步骤，请使用循环节点）</translation>
    </message>
    <message>
        <source>the node is not connected to the start, so it never runs</source>
        <translation>该节点未与开始节点连通，因此永远不会运行</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a system variable (known: query, files, conversation_id, dialogue_count, user_id, app_id, workflow_id, workflow_run_id, timestamp)</source>
        <translation>&apos;%1&apos; 不是系统变量（已知的系统变量：query, files, conversation_id, dialogue_count, user_id, app_id, workflow_id, workflow_run_id, timestamp）</translation>
    </message>
    <message>
        <source>sys.%1 exists only in chatflows; a workflow reads its inputs from the start node</source>
        <translation>sys.%1 仅存在于对话流中；工作流从开始节点读取输入</translation>
    </message>
    <message>
        <source>sys.timestamp is set only in workflow runs; in a chatflow it is empty</source>
        <translation>sys.timestamp 仅在工作流运行中设置；在对话流中为空</translation>
    </message>
    <message>
        <source>&apos;%1&apos; names no environment variable; add &apos;%2&apos; under environment variables</source>
        <translation>&apos;%1&apos; 不是已定义的环境变量；请在环境变量中添加 &apos;%2&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos; names no conversation variable; add &apos;%2&apos; under conversation variables</source>
        <translation>&apos;%1&apos; 不是已定义的会话变量；请在会话变量中添加 &apos;%2&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not an input variable; only userinput.files exists</source>
        <translation>&apos;%1&apos; 不是输入变量；只有 userinput.files 可用</translation>
    </message>
    <message>
        <source>&apos;%1&apos; refers to node &apos;%2&apos;, which does not exist</source>
        <translation>&apos;%1&apos; 引用的节点 &apos;%2&apos; 不存在</translation>
    </message>
    <message>
        <source>&apos;%1&apos; refers to this node&apos;s own output, which does not exist while it runs</source>
        <translation>&apos;%1&apos; 引用了本节点自身的输出，而该输出在节点运行时尚不存在</translation>
    </message>
    <message>
        <source>&apos;%1&apos; refers to &apos;%2&apos;, which does not run before this node; connect it upstream or pick another variable</source>
        <translation>&apos;%1&apos; 引用了 &apos;%2&apos;，但它不会在本节点之前运行；请将其连接到上游，或选择其他变量</translation>
    </message>
    <message>
        <source>inside &apos;%1&apos; you can read %2, not &apos;%3&apos;</source>
        <translation>在 &apos;%1&apos; 内部可以读取 %2，而不是 &apos;%3&apos;</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has no output &apos;%2&apos; (it offers: %3)</source>
        <translation>&apos;%1&apos; 没有输出 &apos;%2&apos;（可用输出：%3）</translation>
    </message>
</context>
<context>
    <name>flowbench::document::WorkbenchState</name>
    <message>
        <source>Remove breakpoint</source>
        <translation>移除断点</translation>
    </message>
    <message>
        <source>Set breakpoint</source>
        <translation>设置断点</translation>
    </message>
    <message>
        <source>Remove %1 breakpoints</source>
        <translation>移除 %1 个断点</translation>
    </message>
    <message>
        <source>Set %1 breakpoints</source>
        <translation>设置 %1 个断点</translation>
    </message>
    <message>
        <source>Set breakpoint condition</source>
        <translation>设置断点条件</translation>
    </message>
    <message>
        <source>Pin output</source>
        <translation>固定输出</translation>
    </message>
    <message>
        <source>Unpin output</source>
        <translation>取消固定输出</translation>
    </message>
</context>
<context>
    <name>flowbench::llm::ChatClient</name>
    <message>
        <source>The network manager is gone.</source>
        <translation>网络管理器已不存在。</translation>
    </message>
    <message>
        <source>The server sent bytes that are not server-sent events: %1</source>
        <translation>服务器发送的字节不是 server-sent events 格式：%1</translation>
    </message>
    <message>
        <source>The connection broke before the stream ended: %1</source>
        <translation>流结束前连接已断开：%1</translation>
    </message>
    <message>
        <source>The server closed the stream before it ended.</source>
        <translation>服务器在流结束前关闭了它。</translation>
    </message>
    <message>
        <source>The server&apos;s answer is not JSON: %1</source>
        <translation>服务器的响应不是 JSON：%1</translation>
    </message>
    <message>
        <source>The server&apos;s answer is no chat completion: %1</source>
        <translation>服务器的响应不是 chat completion：%1</translation>
    </message>
    <message>
        <source>Could not connect to %1 within %2 s.</source>
        <translation>无法在 %2 秒内连接到 %1。</translation>
    </message>
    <message>
        <source>The server sent no answer within %1 s.</source>
        <translation>服务器在 %1 秒内没有响应。</translation>
    </message>
    <message>
        <source>The stream stalled: nothing arrived for %1 s.</source>
        <translation>流已停滞：%1 秒内没有收到任何数据。</translation>
    </message>
    <message>
        <source>Cancelled: a new request was started.</source>
        <translation>已取消：已开始新的请求。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>The server sent data that is not JSON: %1</source>
        <translation>服务器发送的数据不是 JSON：%1</translation>
    </message>
</context>
<context>
    <name>flowbench::llm::ConnectionCheck</name>
    <message>
        <source>The base URL is not a valid address.</source>
        <translation>基础 URL 不是有效的地址。</translation>
    </message>
    <message>
        <source>no answer within %1 ms</source>
        <translation>%1 毫秒内没有响应</translation>
    </message>
    <message>
        <source>Cannot reach %1: %2.</source>
        <translation>无法连接到 %1：%2。</translation>
    </message>
    <message>
        <source>A vLLM server opens its port only after its model has loaded.</source>
        <translation>vLLM 服务器要等模型加载完成后才会开放端口。</translation>
    </message>
    <message>
        <source>The server refused the API key (HTTP %1: %2). Check the key stored for this profile.</source>
        <translation>服务器拒绝了该 API 密钥（HTTP %1：%2）。请检查为此配置保存的密钥。</translation>
    </message>
    <message>
        <source>The server is up but still loading its model.</source>
        <translation>服务器已启动，但仍在加载模型。</translation>
    </message>
    <message>
        <source>%1/models answered HTTP %2: %3</source>
        <translation>%1/models 返回 HTTP %2：%3</translation>
    </message>
    <message>
        <source>%1/models did not answer with a model list; is this an OpenAI-compatible server?</source>
        <translation>%1/models 没有返回模型列表；这是否是兼容 OpenAI 的服务器？</translation>
    </message>
    <message>
        <source>The server does not serve the model &quot;%1&quot;; it serves: %2.</source>
        <translation>服务器未提供模型“%1”；它提供的模型有：%2。</translation>
    </message>
    <message>
        <source>Connected: %1 (context %2 tokens).</source>
        <translation>已连接：%1（上下文 %2 个 token）。</translation>
    </message>
    <message>
        <source>Connected: %1.</source>
        <translation>已连接：%1。</translation>
    </message>
</context>
<context>
    <name>flowbench::llm::EmbeddingsClient</name>
    <message>
        <source>The network manager is gone.</source>
        <translation>网络管理器已不存在。</translation>
    </message>
    <message>
        <source>The server&apos;s answer is no embeddings list: %1</source>
        <translation>服务器的响应不是 embeddings 列表：%1</translation>
    </message>
    <message>
        <source>The server&apos;s embeddings list is malformed: %1</source>
        <translation>服务器返回的 embeddings 列表格式有误：%1</translation>
    </message>
    <message>
        <source>The server sent %1 vectors for %2 inputs.</source>
        <translation>服务器为 %2 个输入返回了 %1 个向量。</translation>
    </message>
    <message>
        <source>Could not connect to %1 within %2 s.</source>
        <translation>无法在 %2 秒内连接到 %1。</translation>
    </message>
    <message>
        <source>The server sent no embeddings within %1 s.</source>
        <translation>服务器在 %1 秒内没有返回任何 embeddings。</translation>
    </message>
    <message>
        <source>The embeddings request was cancelled.</source>
        <translation>embeddings 请求已取消。</translation>
    </message>
</context>
<context>
    <name>flowbench::llm::EndpointProfile</name>
    <message>
        <source>An endpoint profile must be a JSON object.</source>
        <translation>端点配置必须是 JSON 对象。</translation>
    </message>
    <message>
        <source>An endpoint profile has no name.</source>
        <translation>端点配置没有名称。</translation>
    </message>
    <message>
        <source>Endpoint profile &quot;%1&quot;: unknown server kind &quot;%2&quot;.</source>
        <translation>端点配置“%1”：未知的服务器类型“%2”。</translation>
    </message>
    <message>
        <source>Endpoint profile &quot;%1&quot;: the base URL must be an http or https address.</source>
        <translation>端点配置“%1”：基础 URL 必须是 http 或 https 地址。</translation>
    </message>
</context>
<context>
    <name>flowbench::llm::ProfileStore</name>
    <message>
        <source>The system keychain is not available (%1), so the API key of &quot;%2&quot; cannot be kept there. Either set the environment variable %3 to the key (and name it in the profile), or agree to keep the key in a private file readable only by you.</source>
        <translation>系统钥匙串不可用（%1），因此无法在其中保存“%2”的 API 密钥。请将环境变量 %3 设为该密钥（并在配置中填写该变量名），或者同意将密钥保存在仅您本人可读的私有文件中。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not a valid endpoint profile file.</source>
        <translation>%1 不是有效的端点配置文件。</translation>
    </message>
    <message>
        <source>An endpoint profile named &quot;%1&quot; already exists.</source>
        <translation>名为“%1”的端点配置已存在。</translation>
    </message>
    <message>
        <source>The built-in simulator profile cannot be changed; add a profile of your own instead.</source>
        <translation>内置的模拟器配置不能修改；请另行添加您自己的配置。</translation>
    </message>
    <message>
        <source>There is no endpoint profile named &quot;%1&quot;.</source>
        <translation>不存在名为“%1”的端点配置。</translation>
    </message>
    <message>
        <source>The built-in simulator profile cannot be removed.</source>
        <translation>内置的模拟器配置不能删除。</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>无法创建文件夹 %1。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot write the key file %1: %2</source>
        <translation>无法写入密钥文件 %1：%2</translation>
    </message>
    <message>
        <source>cannot create the folder</source>
        <translation>无法创建文件夹</translation>
    </message>
    <message>
        <source>Cannot read the key file %1: %2</source>
        <translation>无法读取密钥文件 %1：%2</translation>
    </message>
    <message>
        <source>No API key is stored for the endpoint profile &quot;%1&quot;.</source>
        <translation>端点配置“%1”没有保存 API 密钥。</translation>
    </message>
    <message>
        <source>Cannot remove the key file %1.</source>
        <translation>无法删除密钥文件 %1。</translation>
    </message>
</context>
<context>
    <name>flowbench::llm::RunEndpointProvider</name>
    <message>
        <source>Cannot start the built-in simulator on 127.0.0.1.</source>
        <translation>无法在 127.0.0.1 上启动内置模拟器。</translation>
    </message>
    <message>
        <source>There is no endpoint profile named &quot;%1&quot;.</source>
        <translation>不存在名为“%1”的端点配置。</translation>
    </message>
    <message>
        <source>using endpoint profile &apos;%1&apos; (in-process simulator on port %2)</source>
        <translation>使用端点配置 &apos;%1&apos;（进程内模拟器，端口 %2）</translation>
    </message>
    <message>
        <source>using endpoint profile &apos;%1&apos;</source>
        <translation>使用端点配置 &apos;%1&apos;</translation>
    </message>
</context>
<context>
    <name>flowbench::media::Image</name>
    <message>
        <source>%1 is not an image that can be read, or it is damaged (%2)</source>
        <translation>%1 不是可读取的图片，或已损坏（%2）</translation>
    </message>
    <message>
        <source>%1: no such file</source>
        <translation>%1：文件不存在</translation>
    </message>
    <message>
        <source>%1 is empty (0 bytes)</source>
        <translation>%1 为空（0 字节）</translation>
    </message>
    <message>
        <source>The data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>The image data is empty</source>
        <translation>图片数据为空</translation>
    </message>
    <message>
        <source>There is no image to encode</source>
        <translation>没有要编码的图片</translation>
    </message>
    <message>
        <source>The image could not be encoded (%1)</source>
        <translation>无法对图片进行编码（%1）</translation>
    </message>
</context>
<context>
    <name>flowbench::media::Keyframes</name>
    <message>
        <source>%1: no such file</source>
        <translation>%1：文件不存在</translation>
    </message>
    <message>
        <source>%1 is a folder, not a video file</source>
        <translation>%1 是文件夹，不是视频文件</translation>
    </message>
    <message>
        <source>%1 is empty (0 bytes)</source>
        <translation>%1 为空（0 字节）</translation>
    </message>
    <message>
        <source>%1 cannot be read (permission denied)</source>
        <translation>无法读取 %1（权限被拒绝）</translation>
    </message>
    <message>
        <source>%1 is not a video file that can be read, or it is damaged (%2)</source>
        <translation>%1 不是可读取的视频文件，或已损坏（%2）</translation>
    </message>
    <message>
        <source>%1 has no video stream (it holds only audio)</source>
        <translation>%1 没有视频流（只包含音频）</translation>
    </message>
    <message>
        <source>%1 has no video stream</source>
        <translation>%1 没有视频流</translation>
    </message>
    <message>
        <source>%1: no decoder for its video codec (%2)</source>
        <translation>%1：没有适用于其视频编码的解码器（%2）</translation>
    </message>
    <message>
        <source>%1: the video stream has no picture size</source>
        <translation>%1：视频流没有画面尺寸</translation>
    </message>
    <message>
        <source>%1: the video&apos;s duration is unknown</source>
        <translation>%1：视频时长未知</translation>
    </message>
    <message>
        <source>Out of memory</source>
        <translation>内存不足</translation>
    </message>
    <message>
        <source>The %1 decoder could not be opened (%2)</source>
        <translation>无法打开 %1 解码器（%2）</translation>
    </message>
    <message>
        <source>no frame at %1 s: the video data ends at %2 s (the file is truncated or damaged)</source>
        <translation>在 %1 秒处没有帧：视频数据在 %2 秒处结束（文件被截断或已损坏）</translation>
    </message>
    <message>
        <source>cannot seek to %1 s (%2)</source>
        <translation>无法定位到 %1 秒（%2）</translation>
    </message>
    <message>
        <source>no frame could be decoded near %1 s</source>
        <translation>在 %1 秒附近无法解码出任何帧</translation>
    </message>
    <message>
        <source>the decoder did not finish</source>
        <translation>解码器未能完成</translation>
    </message>
    <message>
        <source>Keyframe extraction was cancelled</source>
        <translation>关键帧提取已取消</translation>
    </message>
    <message>
        <source>The frame count must be between 1 and %1</source>
        <translation>帧数必须在 1 到 %1 之间</translation>
    </message>
    <message>
        <source>frame %1 (%2 s): %3</source>
        <translation>第 %1 帧（%2 秒）：%3</translation>
    </message>
    <message>
        <source>frame %1 (%2 s): cannot convert the picture</source>
        <translation>第 %1 帧（%2 秒）：无法转换画面</translation>
    </message>
    <message numerus="yes">
        <source>%n decoding error(s), the last: %1</source>
        <translation>
            <numerusform>%n 个解码错误，最后一个：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2 of %3 frames could not be decoded (%4)</source>
        <translation>%1：%3 帧中有 %2 帧无法解码（%4）</translation>
    </message>
</context>
<context>
    <name>flowbench::metering::AlertEngine</name>
    <message>
        <source>Flowbench alert &quot;%1&quot;: %2 is %3, over %4%5</source>
        <translation>Flowbench 告警“%1”：%2 为 %3，超过了 %4%5</translation>
    </message>
</context>
<context>
    <name>flowbench::metering::MetricsServer</name>
    <message>
        <source>cannot serve metrics on %1:%2</source>
        <translation>无法在 %1:%2 上提供指标服务</translation>
    </message>
</context>
<context>
    <name>flowbench::metering::PluginConfig</name>
    <message>
        <source>the metering configuration is not a YAML mapping</source>
        <translation>计量配置不是 YAML 映射</translation>
    </message>
    <message>
        <source>metering configuration: %1</source>
        <translation>计量配置：%1</translation>
    </message>
    <message>
        <source>prometheus.port %1 is not a port</source>
        <translation>prometheus.port %1 不是有效的端口</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
</context>
<context>
    <name>flowbench::metering::PriceTable</name>
    <message>
        <source>price table: %1</source>
        <translation>价格表：%1</translation>
    </message>
    <message>
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::AgentNode</name>
    <message>
        <source>no LLM endpoint for this run: choose an endpoint profile, or run `flowbench run FILE --endpoint URL` (try `flowbench simulate` for a local one)</source>
        <translation>本次运行没有 LLM 端点：请选择端点配置，或运行 `flowbench run FILE --endpoint URL`（可用 `flowbench simulate` 启动本地端点）</translation>
    </message>
    <message>
        <source>the agent has no model and the endpoint no default model</source>
        <translation>Agent 未设置模型，端点也没有默认模型</translation>
    </message>
    <message>
        <source>The agent&apos;s tool &quot;%1&quot; of provider &quot;%2&quot; is not built into Flowbench. Only built-in tools can be offered to the model.</source>
        <translation>Agent 的工具“%1”（供应商“%2”）不是 Flowbench 的内置工具。只有内置工具可以提供给模型。</translation>
    </message>
    <message>
        <source>Agent node failed: %1</source>
        <translation>Agent 节点失败：%1</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>stopped after the maximum of %1 iteration(s) with tool calls still pending</source>
        <translation>已达到最多 %1 轮迭代而停止，仍有未执行的工具调用</translation>
    </message>
    <message>
        <source>there is no tool named %1</source>
        <translation>没有名为 %1 的工具</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::AnswerNode</name>
    <message>
        <source>Invalid node data: %1</source>
        <translation>节点数据无效：%1</translation>
    </message>
    <message>
        <source>The answer must be text, not %1.</source>
        <translation>回复必须是文本，而不是 %1。</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::AssignerNode</name>
    <message>
        <source>Invalid node data: %1</source>
        <translation>节点数据无效：%1</translation>
    </message>
    <message>
        <source>The items must be a list.</source>
        <translation>赋值操作必须是列表。</translation>
    </message>
    <message>
        <source>An item must be an object.</source>
        <translation>每个赋值操作都必须是对象。</translation>
    </message>
    <message>
        <source>Variable %1 not found</source>
        <translation>未找到变量 %1</translation>
    </message>
    <message>
        <source>Operation %1 is not supported for type %2</source>
        <translation>类型 %2 不支持操作 %1</translation>
    </message>
    <message>
        <source>Input type variable is not supported for operation %1</source>
        <translation>操作 %1 不支持以变量作为输入</translation>
    </message>
    <message>
        <source>Input type constant is not supported for operation %1</source>
        <translation>操作 %1 不支持以常量作为输入</translation>
    </message>
    <message>
        <source>Invalid input value %1</source>
        <translation>无效的输入值 %1</translation>
    </message>
    <message>
        <source>A variable of type %1 cannot be cleared</source>
        <translation>%1 类型的变量无法清空</translation>
    </message>
    <message>
        <source>assigned variable not found: %1</source>
        <translation>未找到被赋值的变量：%1</translation>
    </message>
    <message>
        <source>input value not found: %1</source>
        <translation>未找到输入值：%1</translation>
    </message>
    <message>
        <source>Cannot append to %1: it is a %2, not an array</source>
        <translation>无法追加到 %1：它是 %2，而不是数组</translation>
    </message>
    <message>
        <source>Unknown write mode &apos;%1&apos;</source>
        <translation>未知的写入模式 &apos;%1&apos;</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::CodeNode</name>
    <message>
        <source>Invalid node data: %1</source>
        <translation>节点数据无效：%1</translation>
    </message>
    <message>
        <source>No Python worker is available.</source>
        <translation>没有可用的 Python 工作进程。</translation>
    </message>
    <message>
        <source>The code language is missing: use python3 or javascript.</source>
        <translation>缺少代码语言：请使用 python3 或 javascript。</translation>
    </message>
    <message>
        <source>Unsupported code language: %1</source>
        <translation>不支持的代码语言：%1</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::Conditions</name>
    <message>
        <source>invalid literal for int() with base 10: &apos;%1&apos;</source>
        <translation>int() 的十进制字面值无效：&apos;%1&apos;</translation>
    </message>
    <message>
        <source>cannot convert float NaN to integer</source>
        <translation>无法将浮点数 NaN 转换为整数</translation>
    </message>
    <message>
        <source>cannot convert float infinity to integer</source>
        <translation>无法将浮点数无穷大转换为整数</translation>
    </message>
    <message>
        <source>int() cannot convert a value of type %1</source>
        <translation>int() 无法转换 %1 类型的值</translation>
    </message>
    <message>
        <source>could not convert string to float: &apos;%1&apos;</source>
        <translation>无法将字符串转换为浮点数：&apos;%1&apos;</translation>
    </message>
    <message>
        <source>float() cannot convert a value of type %1</source>
        <translation>float() 无法转换 %1 类型的值</translation>
    </message>
    <message>
        <source>expected true, false, 1 or 0 for a boolean, got %1</source>
        <translation>布尔值应为 true、false、1 或 0，实际为 %1</translation>
    </message>
    <message>
        <source>the value must be a string or an array, not %1</source>
        <translation>值必须是字符串或数组，而不是 %1</translation>
    </message>
    <message>
        <source>the value must be a string, not %1</source>
        <translation>值必须是字符串，而不是 %1</translation>
    </message>
    <message>
        <source>the expected value must be a string, not %1</source>
        <translation>比较值必须是字符串，而不是 %1</translation>
    </message>
    <message>
        <source>the value must be a string or a boolean, not %1</source>
        <translation>值必须是字符串或布尔值，而不是 %1</translation>
    </message>
    <message>
        <source>the value must be a number or a boolean, not %1</source>
        <translation>值必须是数字或布尔值，而不是 %1</translation>
    </message>
    <message>
        <source>the value must be a number, not %1</source>
        <translation>值必须是数字，而不是 %1</translation>
    </message>
    <message>
        <source>cannot convert &apos;%1&apos; to a number</source>
        <translation>无法将 &apos;%1&apos; 转换为数字</translation>
    </message>
    <message>
        <source>cannot convert a value of type %1 to a number</source>
        <translation>无法将 %1 类型的值转换为数字</translation>
    </message>
    <message>
        <source>the expected value must be an array, not %1</source>
        <translation>比较值必须是数组，而不是 %1</translation>
    </message>
    <message>
        <source>&apos;in &lt;string&gt;&apos; requires a string, not %1</source>
        <translation>&apos;in &lt;string&gt;&apos; 需要字符串，而不是 %1</translation>
    </message>
    <message>
        <source>unhashable type: %1</source>
        <translation>不可哈希的类型：%1</translation>
    </message>
    <message>
        <source>a value of type %1 is not iterable</source>
        <translation>%1 类型的值不可迭代</translation>
    </message>
    <message>
        <source>&apos;all of&apos; needs a list of expected values, not %1</source>
        <translation>&apos;all of&apos; 需要一个比较值列表，而不是 %1</translation>
    </message>
    <message>
        <source>unsupported operator &apos;%1&apos;</source>
        <translation>不支持的运算符 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>the file sub-conditions must be a list</source>
        <translation>文件子条件必须是列表</translation>
    </message>
    <message>
        <source>a file sub-condition must be an object</source>
        <translation>文件子条件必须是对象</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a file attribute</source>
        <translation>&apos;%1&apos; 不是文件属性</translation>
    </message>
    <message>
        <source>the expected extension must be a string</source>
        <translation>用于比较的扩展名必须是字符串</translation>
    </message>
    <message>
        <source>Condition &apos;%1&apos; on %2: %3</source>
        <translation>条件 &apos;%1&apos;（作用于 %2）：%3</translation>
    </message>
    <message>
        <source>The conditions must be a list.</source>
        <translation>条件必须是列表。</translation>
    </message>
    <message>
        <source>Condition %1 is not an object.</source>
        <translation>条件 %1 不是对象。</translation>
    </message>
    <message>
        <source>Variable %1 not found (condition &apos;%2&apos;).</source>
        <translation>未找到变量 %1（条件 &apos;%2&apos;）。</translation>
    </message>
    <message>
        <source>a file sub-condition is required</source>
        <translation>需要文件子条件</translation>
    </message>
    <message>
        <source>Invalid condition: %1</source>
        <translation>无效的条件：%1</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::DocumentExtractorNode</name>
    <message>
        <source>Failed to decode or parse JSON file: %1</source>
        <translation>无法解码或解析 JSON 文件：%1</translation>
    </message>
    <message>
        <source>Failed to extract text from PDF: the file is not a readable PDF</source>
        <translation>无法从 PDF 中提取文本：该文件不是可读取的 PDF</translation>
    </message>
    <message>
        <source>Failed to extract text from PDF: the file is password-protected</source>
        <translation>无法从 PDF 中提取文本：该文件受密码保护</translation>
    </message>
    <message>
        <source>Failed to extract text from PDF: the file has no pages</source>
        <translation>无法从 PDF 中提取文本：该文件没有任何页面</translation>
    </message>
    <message>
        <source>Failed to extract text from DOCX: word/document.xml is malformed: %1 (line %2)</source>
        <translation>无法从 DOCX 中提取文本：word/document.xml 格式有误：%1（第 %2 行）</translation>
    </message>
    <message>
        <source>Failed to extract text from DOCX: the document has no body</source>
        <translation>无法从 DOCX 中提取文本：该文档没有正文（body）</translation>
    </message>
    <message>
        <source>Failed to extract text from DOCX: the file is not a ZIP archive</source>
        <translation>无法从 DOCX 中提取文本：该文件不是 ZIP 压缩包</translation>
    </message>
    <message>
        <source>Failed to extract text from DOCX: &apos;%1&apos; is missing or unreadable</source>
        <translation>无法从 DOCX 中提取文本：&apos;%1&apos; 缺失或无法读取</translation>
    </message>
    <message>
        <source>Unsupported Extension Type: %1</source>
        <translation>不支持的扩展名类型：%1</translation>
    </message>
    <message>
        <source>Unsupported MIME type: %1</source>
        <translation>不支持的 MIME 类型：%1</translation>
    </message>
    <message>
        <source>Unable to determine file type: MIME type or file extension is missing</source>
        <translation>无法确定文件类型：缺少 MIME 类型或文件扩展名</translation>
    </message>
    <message>
        <source>Unsupported Extension Type: %1 (Flowbench cannot extract text from this format)</source>
        <translation>不支持的扩展名类型：%1（Flowbench 无法从此格式中提取文本）</translation>
    </message>
    <message>
        <source>The document-extractor node&apos;s data is malformed: %1</source>
        <translation>文档提取器节点的数据格式有误：%1</translation>
    </message>
    <message>
        <source>variable_selector is not set: choose the file variable to extract text from</source>
        <translation>未设置 variable_selector：请选择要从中提取文本的文件变量</translation>
    </message>
    <message>
        <source>File variable not found for selector: %1</source>
        <translation>未找到选择器 %1 对应的文件变量</translation>
    </message>
    <message>
        <source>Variable %1 is not a file or a list of files (it is %2)</source>
        <translation>变量 %1 不是文件或文件列表（实际为 %2）</translation>
    </message>
    <message>
        <source>Error downloading file: no network access for %1</source>
        <translation>下载文件出错：没有可用的网络访问，无法获取 %1</translation>
    </message>
    <message>
        <source>Error downloading file: %1: %2</source>
        <translation>下载文件出错：%1：%2</translation>
    </message>
    <message>
        <source>HTTP status %1</source>
        <translation>HTTP 状态码 %1</translation>
    </message>
    <message>
        <source>Error downloading file: %1</source>
        <translation>下载文件出错：%1</translation>
    </message>
    <message>
        <source>%1 (file &apos;%2&apos;)</source>
        <translation>%1（文件 &apos;%2&apos;）</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::EndNode</name>
    <message>
        <source>Invalid node data: %1</source>
        <translation>节点数据无效：%1</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::FileContent</name>
    <message>
        <source>file &apos;%1&apos; has no url to read its content from</source>
        <translation>文件 &apos;%1&apos; 没有可用于读取内容的 url</translation>
    </message>
    <message>
        <source>file &apos;%1&apos; has a data: URL without a &apos;,&apos; before its content</source>
        <translation>文件 &apos;%1&apos; 的 data: URL 在内容之前缺少 &apos;,&apos;</translation>
    </message>
    <message>
        <source>file &apos;%1&apos; has a data: URL whose base64 content is invalid</source>
        <translation>文件 &apos;%1&apos; 的 data: URL 中的 base64 内容无效</translation>
    </message>
    <message>
        <source>file &apos;%1&apos; is at &apos;%2&apos;, which is not a data: or file:// URL</source>
        <translation>文件 &apos;%1&apos; 位于 &apos;%2&apos;，这不是 data: 或 file:// URL</translation>
    </message>
    <message>
        <source>cannot read file &apos;%1&apos; at %2: %3</source>
        <translation>无法读取位于 %2 的文件 &apos;%1&apos;：%3</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>%1 KB</source>
        <translation>%1 KB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::HttpRequestNode</name>
    <message>
        <source>form-data field &apos;%1&apos;: %2</source>
        <translation>form-data 字段 &apos;%1&apos;：%2</translation>
    </message>
    <message>
        <source>Invalid http method &apos;%1&apos;: method must be one of get, post, put, patch, delete, head or options</source>
        <translation>无效的 HTTP 方法 &apos;%1&apos;：方法必须是 get、post、put、patch、delete、head 或 options 之一</translation>
    </message>
    <message>
        <source>url is required</source>
        <translation>url 不能为空</translation>
    </message>
    <message>
        <source>url should start with http:// or https:// (got &apos;%1&apos;)</source>
        <translation>url 应以 http:// 或 https:// 开头（实际为 &apos;%1&apos;）</translation>
    </message>
    <message>
        <source>url &apos;%1&apos; is not a valid URL: %2</source>
        <translation>url &apos;%1&apos; 不是有效的 URL：%2</translation>
    </message>
    <message>
        <source>authorization config is required for api-key authorization</source>
        <translation>使用 api-key 鉴权时必须提供鉴权配置</translation>
    </message>
    <message>
        <source>API key is required for authorization but was empty. Please provide a valid API key.</source>
        <translation>鉴权需要 API 密钥，但当前为空。请提供有效的 API 密钥。</translation>
    </message>
    <message>
        <source>%1 body type should have exactly one item, but has %2</source>
        <translation>%1 类型的请求体应恰好包含一项，但实际有 %2 项</translation>
    </message>
    <message>
        <source>The body is not valid JSON; it was sent as rendered.</source>
        <translation>请求体不是有效的 JSON；已按渲染结果原样发送。</translation>
    </message>
    <message>
        <source>cannot fetch file with selector %1: the binary body needs a file variable</source>
        <translation>无法通过选择器 %1 获取文件：binary 请求体需要一个文件变量</translation>
    </message>
    <message>
        <source>unknown body type &apos;%1&apos;: expected none, form-data, x-www-form-urlencoded, raw-text, json or binary</source>
        <translation>未知的请求体类型 &apos;%1&apos;：应为 none、form-data、x-www-form-urlencoded、raw-text、json 或 binary</translation>
    </message>
    <message>
        <source>HTTP request %1 %2 failed</source>
        <translation>HTTP 请求 %1 %2 失败</translation>
    </message>
    <message>
        <source>The http-request node&apos;s data is malformed: %1</source>
        <translation>HTTP 请求节点的数据格式有误：%1</translation>
    </message>
    <message>
        <source>%1: no network access is available</source>
        <translation>%1：没有可用的网络访问</translation>
    </message>
    <message>
        <source>%1: no connection within %2 s (connect timeout)</source>
        <translation>%1：%2 s 内未能建立连接（连接超时）</translation>
    </message>
    <message>
        <source>%1: the request body could not be sent within %2 s (write timeout)</source>
        <translation>%1：未能在 %2 s 内发送完请求体（写入超时）</translation>
    </message>
    <message>
        <source>%1: no response data for %2 s (read timeout)</source>
        <translation>%1：%2 s 内未收到响应数据（读取超时）</translation>
    </message>
    <message>
        <source>%1 size is too large, max size is %2, but current size is %3.</source>
        <translation>%1大小超出限制，最大为 %2，当前为 %3。</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Request failed with status code %1</source>
        <translation>请求失败，状态码为 %1</translation>
    </message>
    <message>
        <source>cannot store the response file at %1: %2</source>
        <translation>无法将响应文件保存到 %1：%2</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::IfElseNode</name>
    <message>
        <source>Invalid node data: %1</source>
        <translation>节点数据无效：%1</translation>
    </message>
    <message>
        <source>The cases must be a list.</source>
        <translation>条件分支必须是列表。</translation>
    </message>
    <message>
        <source>A case must be an object.</source>
        <translation>每个条件分支都必须是对象。</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::JsRunner</name>
    <message>
        <source> (line %1)</source>
        <translation>（第 %1 行）</translation>
    </message>
    <message>
        <source>The code ran too long: it exceeded %1 ms.</source>
        <translation>代码运行时间过长：超过了 %1 ms。</translation>
    </message>
    <message>
        <source>The code used too much memory (more than %1 MB).</source>
        <translation>代码占用内存过多（超过 %1 MB）。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>ReferenceError: main is not defined (the code must define function main)</source>
        <translation>ReferenceError: main is not defined（代码必须定义 main 函数）</translation>
    </message>
    <message>
        <source>main() must return an object, got %1.</source>
        <translation>main() 必须返回一个对象，实际返回了 %1。</translation>
    </message>
    <message>
        <source>The result cannot be converted to JSON: %1</source>
        <translation>结果无法转换为 JSON：%1</translation>
    </message>
    <message>
        <source>The result cannot be converted to JSON.</source>
        <translation>结果无法转换为 JSON。</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::KnowledgeRetrievalNode</name>
    <message>
        <source>Knowledge base not found: %1 (no local base has this id or name).</source>
        <translation>未找到知识库：%1（没有本地知识库使用此 ID 或名称）。</translation>
    </message>
    <message>
        <source>Query is required and must be a string.</source>
        <translation>查询为必填项，且必须是字符串。</translation>
    </message>
    <message>
        <source>Reranking models are not available locally; the weighted score is used instead.</source>
        <translation>本地无法使用 Rerank 模型；改用加权分数。</translation>
    </message>
    <message>
        <source>No embeddings in %1: keyword search used there.</source>
        <translation>%1 中没有 embeddings：这些知识库改用关键词检索。</translation>
    </message>
    <message>
        <source>No endpoint for the run: keyword search used instead of %1.</source>
        <translation>本次运行没有端点：改用关键词检索代替 %1。</translation>
    </message>
    <message>
        <source>The query could not be embedded with %1 (%2): keyword search used instead.</source>
        <translation>无法用 %1 为查询生成 embedding（%2）：改用关键词检索。</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::ListOperatorNode</name>
    <message>
        <source>Invalid node data: %1</source>
        <translation>节点数据无效：%1</translation>
    </message>
    <message>
        <source>Invalid condition: %1</source>
        <translation>无效的条件：%1</translation>
    </message>
    <message>
        <source>cannot compare %1 with a number</source>
        <translation>无法将 %1 与数字比较</translation>
    </message>
    <message>
        <source>could not convert string to float: &apos;%1&apos;</source>
        <translation>无法将字符串转换为浮点数：&apos;%1&apos;</translation>
    </message>
    <message>
        <source>Invalid key: %1</source>
        <translation>无效的键：%1</translation>
    </message>
    <message>
        <source>Invalid filter value: %1</source>
        <translation>无效的过滤值：%1</translation>
    </message>
    <message>
        <source>File filter expects a string value, got %1</source>
        <translation>文件过滤条件需要字符串值，实际为 %1</translation>
    </message>
    <message>
        <source>Boolean filter expects a boolean value, got %1</source>
        <translation>布尔过滤条件需要布尔值，实际为 %1</translation>
    </message>
    <message>
        <source>invalid literal for int() with base 10: &apos;%1&apos;</source>
        <translation>int() 的十进制字面值无效：&apos;%1&apos;</translation>
    </message>
    <message>
        <source>Invalid serial index: must be &gt;= 1, got %1</source>
        <translation>无效的序号：必须 &gt;= 1，实际为 %1</translation>
    </message>
    <message>
        <source>Invalid serial index: must be &lt;= %1, got %2</source>
        <translation>无效的序号：必须 &lt;= %1，实际为 %2</translation>
    </message>
    <message>
        <source>Invalid order key: %1</source>
        <translation>无效的排序键：%1</translation>
    </message>
    <message>
        <source>Cannot order by size: a file has no size</source>
        <translation>无法按大小排序：有文件缺少大小信息</translation>
    </message>
    <message>
        <source>Variable not found for selector: %1</source>
        <translation>未找到选择器 %1 对应的变量</translation>
    </message>
    <message>
        <source>Variable %1 is not an array of strings, numbers, booleans or files, actual type: %2</source>
        <translation>变量 %1 不是由字符串、数字、布尔值或文件组成的数组，实际类型：%2</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::LlmNode</name>
    <message>
        <source>prompt_template is missing</source>
        <translation>缺少 prompt_template</translation>
    </message>
    <message>
        <source>Jinja2 prompt: %1</source>
        <translation>Jinja2 提示词：%1</translation>
    </message>
    <message>
        <source>the prompt is empty</source>
        <translation>提示词为空</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>no LLM endpoint for this run: choose an endpoint profile, or run `flowbench run FILE --endpoint URL` (try `flowbench simulate` for a local one)</source>
        <translation>本次运行没有 LLM 端点：请选择端点配置，或运行 `flowbench run FILE --endpoint URL`（可用 `flowbench simulate` 启动本地端点）</translation>
    </message>
    <message>
        <source>the node has no model and the endpoint no default model</source>
        <translation>节点未设置模型，端点也没有默认模型</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::NodeRegistry</name>
    <message>
        <source>no model set: the endpoint profile&apos;s default model is used</source>
        <translation>未设置模型：将使用端点配置中的默认模型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Provider, model name, mode (chat or completion) and completion parameters. An empty name uses the endpoint profile&apos;s default model.</source>
        <translation>供应商、模型名称、模式（chat 或 completion）及补全参数。名称为空时使用端点配置中的默认模型。</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>记忆</translation>
    </message>
    <message>
        <source>Chatflow only: how much of the conversation history the model sees.</source>
        <translation>仅限对话流：模型可以看到多少对话历史。</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>记忆窗口</translation>
    </message>
    <message>
        <source>Limit history</source>
        <translation>限制历史</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>消息数</translation>
    </message>
    <message>
        <source>Role prefixes</source>
        <translation>角色前缀</translation>
    </message>
    <message>
        <source>Completion models only.</source>
        <translation>仅适用于补全（completion）模型。</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Query template</source>
        <translation>查询模板</translation>
    </message>
    <message>
        <source>Vision</source>
        <translation>视觉</translation>
    </message>
    <message>
        <source>Send image files to models that accept them.</source>
        <translation>将图片文件发送给支持图片输入的模型。</translation>
    </message>
    <message>
        <source>Enabled</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>分辨率</translation>
    </message>
    <message>
        <source>Input variables</source>
        <translation>输入变量</translation>
    </message>
    <message>
        <source>Names the code or template sees, each bound to a variable of the workflow.</source>
        <translation>代码或模板中可用的名称，每个名称绑定到工作流中的一个变量。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Variable</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>运算符</translation>
    </message>
    <message>
        <source>A string (may contain {{#node.var#}} references), a number, a boolean or a list for &apos;in&apos;, &apos;not in&apos; and &apos;all of&apos;.</source>
        <translation>字符串（可包含 {{#node.var#}} 引用）、数字、布尔值，或用于 &apos;in&apos;、&apos;not in&apos; 和 &apos;all of&apos; 的列表。</translation>
    </message>
    <message>
        <source>Variable type</source>
        <translation>变量类型</translation>
    </message>
    <message>
        <source>Retry on failure</source>
        <translation>失败时重试</translation>
    </message>
    <message>
        <source>Max retries</source>
        <translation>最大重试次数</translation>
    </message>
    <message>
        <source>Interval (ms)</source>
        <translation>重试间隔（毫秒）</translation>
    </message>
    <message>
        <source>On error</source>
        <translation>异常处理</translation>
    </message>
    <message>
        <source>Empty: the run fails (the key is removed from the data). fail-branch: follow the FAIL handle. default-value: continue with the default values.</source>
        <translation>留空：运行失败（该键会从数据中移除）。fail-branch：走 FAIL 连接点。default-value：使用默认值继续运行。</translation>
    </message>
    <message>
        <source>Default values</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>Outputs used when the node fails and the strategy is default-value.</source>
        <translation>节点失败且策略为 default-value 时使用的输出。</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>FAIL</translation>
    </message>
    <message>
        <source>The node&apos;s data cannot be checked.</source>
        <translation>无法检查该节点的数据。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Defines the inputs a run starts with</source>
        <translation>定义运行开始时的输入</translation>
    </message>
    <message>
        <source>Input fields</source>
        <translation>输入字段</translation>
    </message>
    <message>
        <source>Variable name</source>
        <translation>变量名</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>Required</source>
        <translation>必填</translation>
    </message>
    <message>
        <source>Max length</source>
        <translation>最大长度</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>The choices of a select field: a list of strings.</source>
        <translation>下拉选项字段的可选项：字符串列表。</translation>
    </message>
    <message>
        <source>Default value</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>Hidden</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>Allowed file types</source>
        <translation>支持的文件类型</translation>
    </message>
    <message>
        <source>image, document, audio, video, custom</source>
        <translation>image, document, audio, video, custom</translation>
    </message>
    <message>
        <source>Allowed file extensions</source>
        <translation>支持的文件扩展名</translation>
    </message>
    <message>
        <source>Upload methods</source>
        <translation>上传方式</translation>
    </message>
    <message>
        <source>local_file, remote_url</source>
        <translation>local_file, remote_url</translation>
    </message>
    <message>
        <source>JSON schema</source>
        <translation>JSON Schema</translation>
    </message>
    <message>
        <source>Draft 7 schema a json_object input is checked against.</source>
        <translation>用于校验 json_object 输入的 Draft 7 Schema。</translation>
    </message>
    <message>
        <source>An input field has no variable name.</source>
        <translation>有输入字段没有变量名。</translation>
    </message>
    <message>
        <source>End</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Defines the outputs of a workflow run</source>
        <translation>定义工作流运行的输出</translation>
    </message>
    <message>
        <source>Output variables</source>
        <translation>输出变量</translation>
    </message>
    <message>
        <source>An output has no variable name.</source>
        <translation>有输出没有变量名。</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>直接回复</translation>
    </message>
    <message>
        <source>Streams a reply to the user in a chat</source>
        <translation>在对话中向用户流式输出回复</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>回复</translation>
    </message>
    <message>
        <source>Text with {{#node.var#}} references; values are shown in their Markdown form.</source>
        <translation>包含 {{#node.var#}} 引用的文本；值以 Markdown 形式显示。</translation>
    </message>
    <message>
        <source>The reply is empty.</source>
        <translation>回复内容为空。</translation>
    </message>
    <message>
        <source>LLM</source>
        <translation>LLM</translation>
    </message>
    <message>
        <source>Calls a large language model with a prompt</source>
        <translation>使用提示词调用大语言模型</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Chat models: a list of messages. Completion models: one object with the prompt text.</source>
        <translation>对话（chat）模型：消息列表。补全（completion）模型：一个包含提示词文本的对象。</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>编辑模式</translation>
    </message>
    <message>
        <source>Jinja2 text</source>
        <translation>Jinja2 文本</translation>
    </message>
    <message>
        <source>Jinja2 variables</source>
        <translation>Jinja2 变量</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>A value put where {{#context#}} appears in the prompt, usually a knowledge retrieval result.</source>
        <translation>填入提示词中 {{#context#}} 处的值，通常是知识检索的结果。</translation>
    </message>
    <message>
        <source>Structured output</source>
        <translation>结构化输出</translation>
    </message>
    <message>
        <source>Output schema</source>
        <translation>输出 Schema</translation>
    </message>
    <message>
        <source>{&quot;schema&quot;: &lt;JSON schema&gt;}; used when structured output is enabled.</source>
        <translation>{&quot;schema&quot;: &lt;JSON schema&gt;}；启用结构化输出时使用。</translation>
    </message>
    <message>
        <source>Reasoning format</source>
        <translation>推理内容格式</translation>
    </message>
    <message>
        <source>tagged keeps &lt;think&gt; blocks in the text; separated moves them to reasoning_content.</source>
        <translation>tagged 将 &lt;think&gt; 块保留在文本中；separated 将其移至 reasoning_content。</translation>
    </message>
    <message>
        <source>The prompt is missing.</source>
        <translation>缺少提示词。</translation>
    </message>
    <message>
        <source>IF/ELSE</source>
        <translation>条件分支</translation>
    </message>
    <message>
        <source>Branches on conditions: IF, ELIF and ELSE</source>
        <translation>根据条件进行分支：IF、ELIF 和 ELSE</translation>
    </message>
    <message>
        <source>Cases</source>
        <translation>条件分支</translation>
    </message>
    <message>
        <source>Tried in order; the first true case picks its handle, ELSE when none is true. A case without conditions is true.</source>
        <translation>按顺序判断；第一个为真的分支选择其连接点，都不为真时走 ELSE。没有条件的分支视为真。</translation>
    </message>
    <message>
        <source>Case id</source>
        <translation>分支 id</translation>
    </message>
    <message>
        <source>Combine with</source>
        <translation>条件组合</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>IF</source>
        <translation>IF</translation>
    </message>
    <message>
        <source>ELIF</source>
        <translation>ELIF</translation>
    </message>
    <message>
        <source>ELSE</source>
        <translation>ELSE</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>代码执行</translation>
    </message>
    <message>
        <source>Runs Python or JavaScript code</source>
        <translation>运行 Python 或 JavaScript 代码</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Defines main(...), called with the input variables as keyword arguments; it returns a dict with exactly the declared outputs.</source>
        <translation>定义 main(...)，调用时以输入变量作为关键字参数；它返回的 dict 必须恰好包含所声明的输出。</translation>
    </message>
    <message>
        <source>{name: {type, children}}; type is string, number, object, boolean, array[string], array[number], array[object] or array[boolean].</source>
        <translation>{name: {type, children}}；type 可为 string、number、object、boolean、array[string]、array[number]、array[object] 或 array[boolean]。</translation>
    </message>
    <message>
        <source>Dependencies</source>
        <translation>依赖</translation>
    </message>
    <message>
        <source>Optional list of {name, version} packages for the sandbox.</source>
        <translation>可选，沙箱所需的 {name, version} 包列表。</translation>
    </message>
    <message>
        <source>The code is missing.</source>
        <translation>缺少代码。</translation>
    </message>
    <message>
        <source>The code language is missing.</source>
        <translation>缺少代码语言。</translation>
    </message>
    <message>
        <source>Unsupported code language &quot;%1&quot;: use python3 or javascript.</source>
        <translation>不支持的代码语言“%1”：请使用 python3 或 javascript。</translation>
    </message>
    <message>
        <source>HTTP Request</source>
        <translation>HTTP 请求</translation>
    </message>
    <message>
        <source>Sends an HTTP request</source>
        <translation>发送 HTTP 请求</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Authorization</source>
        <translation>鉴权</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>Scheme</source>
        <translation>鉴权方式</translation>
    </message>
    <message>
        <source>Key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>Header name for the custom scheme.</source>
        <translation>自定义鉴权方式使用的 Header 名称。</translation>
    </message>
    <message>
        <source>Headers</source>
        <translation>请求头</translation>
    </message>
    <message>
        <source>Query parameters</source>
        <translation>查询参数</translation>
    </message>
    <message>
        <source>Body</source>
        <translation>请求体</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Timeouts</source>
        <translation>超时设置</translation>
    </message>
    <message>
        <source>Seconds; empty or 0 uses the maximum.</source>
        <translation>单位为秒；留空或为 0 时使用最大值。</translation>
    </message>
    <message>
        <source>Connect</source>
        <translation>连接超时</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>读取超时</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>写入超时</translation>
    </message>
    <message>
        <source>Verify TLS certificates</source>
        <translation>验证 TLS 证书</translation>
    </message>
    <message>
        <source>URL is required</source>
        <translation>URL 不能为空</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>模板转换</translation>
    </message>
    <message>
        <source>Renders a Jinja2 template into text</source>
        <translation>将 Jinja2 模板渲染为文本</translation>
    </message>
    <message>
        <source>The template is empty.</source>
        <translation>模板为空。</translation>
    </message>
    <message>
        <source>Variable Aggregator</source>
        <translation>变量聚合器</translation>
    </message>
    <message>
        <source>Merges the variables of several branches into one</source>
        <translation>将多个分支的变量合并为一个</translation>
    </message>
    <message>
        <source>Output type</source>
        <translation>输出类型</translation>
    </message>
    <message>
        <source>Variables</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>The output is the first of these that exists, in list order.</source>
        <translation>按列表顺序取第一个存在的变量作为输出。</translation>
    </message>
    <message>
        <source>Groups</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Aggregate in groups</source>
        <translation>分组聚合</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <source>Variable Assigner</source>
        <translation>变量赋值</translation>
    </message>
    <message>
        <source>Writes values to conversation or loop variables</source>
        <translation>向会话变量或循环变量写入值</translation>
    </message>
    <message>
        <source>Assignments</source>
        <translation>赋值操作</translation>
    </message>
    <message>
        <source>Operation</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>A selector for a variable input, a literal for a constant.</source>
        <translation>变量输入使用选择器，常量输入使用字面值。</translation>
    </message>
    <message>
        <source>Iteration</source>
        <translation>迭代</translation>
    </message>
    <message>
        <source>Runs its body once for each item of a list</source>
        <translation>对列表中的每一项各运行一次循环体</translation>
    </message>
    <message>
        <source>Input list</source>
        <translation>输入列表</translation>
    </message>
    <message>
        <source>An array variable; the body reads [iteration, item] and [iteration, index].</source>
        <translation>数组变量；循环体中通过 [iteration, item] 和 [iteration, index] 读取。</translation>
    </message>
    <message>
        <source>Output variable</source>
        <translation>输出变量</translation>
    </message>
    <message>
        <source>A variable inside the body, collected from every iteration.</source>
        <translation>循环体内的一个变量，从每次迭代中收集。</translation>
    </message>
    <message>
        <source>Parallel</source>
        <translation>并行模式</translation>
    </message>
    <message>
        <source>Max parallel</source>
        <translation>最大并行数</translation>
    </message>
    <message>
        <source>On item error</source>
        <translation>错误响应方式</translation>
    </message>
    <message>
        <source>Flatten output</source>
        <translation>扁平化输出</translation>
    </message>
    <message>
        <source>Join the lists when every iteration outputs a list.</source>
        <translation>当每次迭代都输出列表时，将这些列表合并。</translation>
    </message>
    <message>
        <source>The input list is not set.</source>
        <translation>未设置输入列表。</translation>
    </message>
    <message>
        <source>The output variable is not set.</source>
        <translation>未设置输出变量。</translation>
    </message>
    <message>
        <source>Iteration Start</source>
        <translation>迭代开始</translation>
    </message>
    <message>
        <source>Where the body of an iteration starts</source>
        <translation>迭代循环体的起点</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>循环</translation>
    </message>
    <message>
        <source>Runs its body until a break condition holds</source>
        <translation>重复运行循环体，直到满足终止条件</translation>
    </message>
    <message>
        <source>Loop variables</source>
        <translation>循环变量</translation>
    </message>
    <message>
        <source>Readable and writable in the body as [loop, label].</source>
        <translation>在循环体中可通过 [loop, label] 读写。</translation>
    </message>
    <message>
        <source>Initial value from</source>
        <translation>初始值来源</translation>
    </message>
    <message>
        <source>Initial value</source>
        <translation>初始值</translation>
    </message>
    <message>
        <source>Break conditions</source>
        <translation>循环终止条件</translation>
    </message>
    <message>
        <source>Checked before the first round and after every round.</source>
        <translation>在第一轮之前以及每一轮之后检查。</translation>
    </message>
    <message>
        <source>Max rounds</source>
        <translation>最大循环次数</translation>
    </message>
    <message>
        <source>The number of rounds must be between 1 and 100.</source>
        <translation>循环次数必须在 1 到 100 之间。</translation>
    </message>
    <message>
        <source>Loop Start</source>
        <translation>循环开始</translation>
    </message>
    <message>
        <source>Where the body of a loop starts</source>
        <translation>循环体的起点</translation>
    </message>
    <message>
        <source>Exit Loop</source>
        <translation>退出循环</translation>
    </message>
    <message>
        <source>Stops the loop it is in</source>
        <translation>终止其所在的循环</translation>
    </message>
    <message>
        <source>Knowledge Retrieval</source>
        <translation>知识检索</translation>
    </message>
    <message>
        <source>Retrieves passages from knowledge bases</source>
        <translation>从知识库中检索文本片段</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>查询变量</translation>
    </message>
    <message>
        <source>Query attachments</source>
        <translation>查询附件</translation>
    </message>
    <message>
        <source>Knowledge bases</source>
        <translation>知识库</translation>
    </message>
    <message>
        <source>A list of dataset ids.</source>
        <translation>知识库（dataset）id 列表。</translation>
    </message>
    <message>
        <source>Retrieval mode</source>
        <translation>召回模式</translation>
    </message>
    <message>
        <source>Multi-path retrieval</source>
        <translation>多路召回</translation>
    </message>
    <message>
        <source>Top K</source>
        <translation>Top K</translation>
    </message>
    <message>
        <source>Score threshold</source>
        <translation>Score 阈值</translation>
    </message>
    <message>
        <source>Rerank</source>
        <translation>Rerank</translation>
    </message>
    <message>
        <source>Rerank mode</source>
        <translation>Rerank 模式</translation>
    </message>
    <message>
        <source>Rerank model</source>
        <translation>Rerank 模型</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Single-path retrieval</source>
        <translation>单路召回</translation>
    </message>
    <message>
        <source>Metadata filtering</source>
        <translation>元数据过滤</translation>
    </message>
    <message>
        <source>Metadata filter model</source>
        <translation>元数据过滤模型</translation>
    </message>
    <message>
        <source>Metadata conditions</source>
        <translation>元数据过滤条件</translation>
    </message>
    <message>
        <source>{logical_operator, conditions: [{name, comparison_operator, value}]}</source>
        <translation>{logical_operator, conditions: [{name, comparison_operator, value}]}</translation>
    </message>
    <message>
        <source>No knowledge base is selected.</source>
        <translation>未选择知识库。</translation>
    </message>
    <message>
        <source>Question Classifier</source>
        <translation>问题分类器</translation>
    </message>
    <message>
        <source>Lets a model route the question to one of several classes</source>
        <translation>由模型将问题分配到若干分类中的一个</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Each class has its own handle; the first class is chosen when the model&apos;s answer cannot be parsed.</source>
        <translation>每个分类都有自己的连接点；当无法解析模型的回答时，选择第一个分类。</translation>
    </message>
    <message>
        <source>Topic</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Instructions</source>
        <translation>指令</translation>
    </message>
    <message>
        <source>CLASS %1</source>
        <translation>分类 %1</translation>
    </message>
    <message>
        <source>There are no classes.</source>
        <translation>没有任何分类。</translation>
    </message>
    <message>
        <source>Parameter Extractor</source>
        <translation>参数提取器</translation>
    </message>
    <message>
        <source>Lets a model extract structured parameters from text</source>
        <translation>由模型从文本中提取结构化参数</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Allowed values of a string parameter (a list of strings).</source>
        <translation>字符串参数的可选值（字符串列表）。</translation>
    </message>
    <message>
        <source>Reasoning mode</source>
        <translation>推理模式</translation>
    </message>
    <message>
        <source>The input variable is not set.</source>
        <translation>未设置输入变量。</translation>
    </message>
    <message>
        <source>There are no parameters.</source>
        <translation>没有任何参数。</translation>
    </message>
    <message>
        <source>A parameter has no name.</source>
        <translation>有参数没有名称。</translation>
    </message>
    <message>
        <source>The parameter name &quot;%1&quot; is reserved.</source>
        <translation>参数名“%1”是保留名称。</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Calls a tool of a provider or plugin</source>
        <translation>调用供应商或插件提供的工具</translation>
    </message>
    <message>
        <source>Provider type</source>
        <translation>供应商类型</translation>
    </message>
    <message>
        <source>Provider name</source>
        <translation>供应商名称</translation>
    </message>
    <message>
        <source>Tool label</source>
        <translation>工具显示名称</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>{name: {type: mixed|variable|constant, value}}</source>
        <translation>{name: {type: mixed|variable|constant, value}}</translation>
    </message>
    <message>
        <source>Credential</source>
        <translation>凭据</translation>
    </message>
    <message>
        <source>Plugin</source>
        <translation>插件</translation>
    </message>
    <message>
        <source>The provider is not set.</source>
        <translation>未设置供应商。</translation>
    </message>
    <message>
        <source>The tool is not set.</source>
        <translation>未设置工具。</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>Lets an agent strategy call tools to reach a goal</source>
        <translation>由 Agent 策略调用工具来完成目标</translation>
    </message>
    <message>
        <source>Strategy provider</source>
        <translation>策略供应商</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Strategy label</source>
        <translation>策略显示名称</translation>
    </message>
    <message>
        <source>{name: {type: mixed|variable|constant, value}}; tools are in tools.value.</source>
        <translation>{name: {type: mixed|variable|constant, value}}；工具位于 tools.value 中。</translation>
    </message>
    <message>
        <source>List Operator</source>
        <translation>列表操作</translation>
    </message>
    <message>
        <source>Filters, sorts and slices a list</source>
        <translation>对列表进行过滤、排序和截取</translation>
    </message>
    <message>
        <source>Filter</source>
        <translation>过滤条件</translation>
    </message>
    <message>
        <source>File attribute</source>
        <translation>文件属性</translation>
    </message>
    <message>
        <source>For lists of files: type, name, extension, size, ...</source>
        <translation>用于文件列表：type、name、extension、size 等</translation>
    </message>
    <message>
        <source>Take one item</source>
        <translation>取出单项</translation>
    </message>
    <message>
        <source>Position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>1-based index; may contain {{#node.var#}} references.</source>
        <translation>从 1 开始的序号；可包含 {{#node.var#}} 引用。</translation>
    </message>
    <message>
        <source>Sort</source>
        <translation>排序</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>Keep the first</source>
        <translation>取前 N 项</translation>
    </message>
    <message>
        <source>Items</source>
        <translation>项数</translation>
    </message>
    <message>
        <source>Doc Extractor</source>
        <translation>文档提取器</translation>
    </message>
    <message>
        <source>Extracts the text of documents</source>
        <translation>提取文档中的文本</translation>
    </message>
    <message>
        <source>Input file</source>
        <translation>输入文件</translation>
    </message>
    <message>
        <source>List of files</source>
        <translation>文件列表</translation>
    </message>
    <message>
        <source>Set when the input is array[file]; the output is then array[string].</source>
        <translation>当输入为 array[file] 时设置；此时输出为 array[string]。</translation>
    </message>
    <message>
        <source>The input file is not set.</source>
        <translation>未设置输入文件。</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>注释</translation>
    </message>
    <message>
        <source>A sticky note on the canvas; it never runs</source>
        <translation>画布上的便签，不会运行</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>颜色</translation>
    </message>
    <message>
        <source>Author</source>
        <translation>作者</translation>
    </message>
    <message>
        <source>Show author</source>
        <translation>显示作者</translation>
    </message>
    <message>
        <source>Flow</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>Logic</source>
        <translation>逻辑</translation>
    </message>
    <message>
        <source>Transform</source>
        <translation>转换</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation>知识库</translation>
    </message>
    <message>
        <source>Containers</source>
        <translation>容器</translation>
    </message>
    <message>
        <source>Annotations</source>
        <translation>批注</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::ParameterExtractorNode</name>
    <message>
        <source>the node has no parameters</source>
        <translation>节点没有任何参数</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>Parameter %1 is required</source>
        <translation>参数 %1 为必填项</translation>
    </message>
    <message>
        <source>Invalid `%1` value for parameter %2</source>
        <translation>参数 %2 的 `%1` 值无效</translation>
    </message>
    <message>
        <source>Invalid `select` value for parameter %1</source>
        <translation>参数 %1 的 `select` 值无效</translation>
    </message>
    <message>
        <source>Failed to extract result from function call or text response</source>
        <translation>无法从函数调用或文本响应中提取结果</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::QuestionClassifierNode</name>
    <message>
        <source>the node has no classes</source>
        <translation>节点没有任何分类</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::StartNode</name>
    <message>
        <source>Invalid node data: %1</source>
        <translation>节点数据无效：%1</translation>
    </message>
    <message>
        <source>JSON schemas cannot be checked: the Python worker is not available.</source>
        <translation>无法校验 JSON Schema：Python 工作进程不可用。</translation>
    </message>
    <message>
        <source>JSON object for &apos;%1&apos; could not be checked against its schema: %2</source>
        <translation>无法根据 Schema 校验 &apos;%1&apos; 的 JSON 对象：%2</translation>
    </message>
    <message>
        <source>JSON object for &apos;%1&apos; does not match schema: %2</source>
        <translation>&apos;%1&apos; 的 JSON 对象与 Schema 不匹配：%2</translation>
    </message>
    <message>
        <source>%1 is required in input form</source>
        <translation>输入表单中的 %1 为必填项</translation>
    </message>
    <message>
        <source>(type &apos;%1&apos;) %2 in input form must be a string</source>
        <translation>（类型 &apos;%1&apos;）输入表单中的 %2 必须是字符串</translation>
    </message>
    <message>
        <source>%1 in input form must be a number, not %2</source>
        <translation>输入表单中的 %1 必须是数字，而不是 %2</translation>
    </message>
    <message>
        <source>%1 in input form must be a valid number</source>
        <translation>输入表单中的 %1 必须是有效的数字</translation>
    </message>
    <message>
        <source>%1 in input form must be one of the following: %2</source>
        <translation>输入表单中的 %1 必须是以下选项之一：%2</translation>
    </message>
    <message>
        <source>%1 in input form must be less than %2 characters</source>
        <translation>输入表单中的 %1 不能超过 %2 个字符</translation>
    </message>
    <message>
        <source>%1 in input form must be a file</source>
        <translation>输入表单中的 %1 必须是文件</translation>
    </message>
    <message>
        <source>%1 in input form must be a list of files</source>
        <translation>输入表单中的 %1 必须是文件列表</translation>
    </message>
    <message>
        <source>%1 in input form must be less than %2 files</source>
        <translation>输入表单中的 %1 不能超过 %2 个文件</translation>
    </message>
    <message>
        <source>%1 in input form must be a dict</source>
        <translation>输入表单中的 %1 必须是字典（dict）</translation>
    </message>
    <message>
        <source>The JSON schema of %1 is not valid JSON: %2</source>
        <translation>%1 的 JSON Schema 不是有效的 JSON：%2</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::TemplateTransformNode</name>
    <message>
        <source>Invalid node data: %1</source>
        <translation>节点数据无效：%1</translation>
    </message>
    <message>
        <source>No Python worker is available.</source>
        <translation>没有可用的 Python 工作进程。</translation>
    </message>
    <message>
        <source>The template produced no text.</source>
        <translation>模板没有生成任何文本。</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::ToolNode</name>
    <message>
        <source>%1: &quot;%2&quot; is not a supported key path (use a.b[0].c)</source>
        <translation>%1：“%2”不是受支持的键路径（请使用 a.b[0].c 格式）</translation>
    </message>
    <message>
        <source>%1: the content is not valid JSON (%2)</source>
        <translation>%1：内容不是有效的 JSON（%2）</translation>
    </message>
    <message>
        <source>current_time: invalid timezone %1</source>
        <translation>current_time：无效的时区 %1</translation>
    </message>
    <message>
        <source>json_parse: the parameter &quot;content&quot; is empty</source>
        <translation>json_parse：参数 &quot;content&quot; 为空</translation>
    </message>
    <message>
        <source>json_replace: replace_pattern is needed when replace_model is &quot;pattern&quot;</source>
        <translation>json_replace：当 replace_model 为 &quot;pattern&quot; 时，必须提供 replace_pattern</translation>
    </message>
    <message>
        <source>json_replace: unknown replace_model &quot;%1&quot; (use pattern, key or value)</source>
        <translation>json_replace：未知的 replace_model “%1”（请使用 pattern、key 或 value）</translation>
    </message>
    <message>
        <source>the expression is empty</source>
        <translation>表达式为空</translation>
    </message>
    <message>
        <source>the result is not a finite number</source>
        <translation>结果不是有限数</translation>
    </message>
    <message>
        <source>the expression ends too early</source>
        <translation>表达式提前结束</translation>
    </message>
    <message>
        <source>unexpected &quot;%1&quot; at position %2</source>
        <translation>位置 %2 处出现意外的“%1”</translation>
    </message>
    <message>
        <source>division by zero</source>
        <translation>除数为零</translation>
    </message>
    <message>
        <source>the expression is nested too deeply</source>
        <translation>表达式嵌套层数过多</translation>
    </message>
    <message>
        <source>0 cannot be raised to a negative power</source>
        <translation>0 不能取负数次幂</translation>
    </message>
    <message>
        <source>a negative number cannot be raised to a fractional power</source>
        <translation>负数不能取小数次幂</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a known function or constant (allowed: %2, pi, e)</source>
        <translation>“%1”不是已知的函数或常量（允许使用：%2、pi、e）</translation>
    </message>
    <message>
        <source>%1() takes %2 to %3 arguments, not %4</source>
        <translation>%1() 接受 %2 到 %3 个参数，而不是 %4 个</translation>
    </message>
    <message>
        <source>sqrt() of a negative number</source>
        <translation>对负数求 sqrt()</translation>
    </message>
    <message>
        <source>log() outside its domain</source>
        <translation>log() 的参数超出定义域</translation>
    </message>
    <message>
        <source>regex_extract: invalid pattern &quot;%1&quot;: %2</source>
        <translation>regex_extract：无效的模式“%1”：%2</translation>
    </message>
    <message>
        <source>eval_expression: the expression is too long</source>
        <translation>eval_expression：表达式过长</translation>
    </message>
    <message>
        <source>eval_expression: %1 in &quot;%2&quot;</source>
        <translation>eval_expression：“%2”中%1</translation>
    </message>
    <message>
        <source>webscraper: &quot;%1&quot; is not an http(s) URL</source>
        <translation>webscraper：“%1”不是 http(s) URL</translation>
    </message>
    <message>
        <source>webscraper: no network access</source>
        <translation>webscraper：无法访问网络</translation>
    </message>
    <message>
        <source>webscraper: %1 is larger than %2 bytes</source>
        <translation>webscraper：%1 超过 %2 字节</translation>
    </message>
    <message>
        <source>no answer within %1 s</source>
        <translation>%1 秒内没有响应</translation>
    </message>
    <message>
        <source>webscraper: fetching %1 failed: %2</source>
        <translation>webscraper：获取 %1 失败：%2</translation>
    </message>
    <message>
        <source>webscraper: %1 answered HTTP %2</source>
        <translation>webscraper：%1 返回 HTTP %2</translation>
    </message>
    <message>
        <source>The tool &quot;%1&quot; of provider &quot;%2&quot; (%3) is not built into Flowbench. Pin this node&apos;s output to run the rest of the workflow.</source>
        <translation>供应商“%2”的工具“%1”（%3）并未内置于 Flowbench。请固定此节点的输出，以便运行工作流的其余部分。</translation>
    </message>
    <message>
        <source>Variable %1 does not exist (parameter &quot;%2&quot; of tool %3)</source>
        <translation>变量 %1 不存在（工具 %3 的参数“%2”）</translation>
    </message>
    <message>
        <source>The tool %1 needs the parameter &quot;%2&quot;</source>
        <translation>工具 %1 需要参数“%2”</translation>
    </message>
    <message>
        <source>Tool node failed: %1</source>
        <translation>工具节点运行失败：%1</translation>
    </message>
</context>
<context>
    <name>flowbench::nodes::VariableAggregatorNode</name>
    <message>
        <source>Invalid node data: %1</source>
        <translation>节点数据无效：%1</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::AlertRulesDialog</name>
    <message>
        <source>The alert rules are not valid: %1</source>
        <translation>告警规则无效：%1</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>%1 is not JSON</source>
        <translation>%1 不是 JSON</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Usage Alerts</source>
        <translation>用量告警</translation>
    </message>
    <message>
        <source>Add Rule</source>
        <translation>添加规则</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>规则</translation>
    </message>
    <message>
        <source>Tokens per minute (sliding 60 s)</source>
        <translation>每分钟 token 数（60 秒滑动窗口）</translation>
    </message>
    <message>
        <source>Tokens per run</source>
        <translation>每次运行的 token 数</translation>
    </message>
    <message>
        <source>Cost per run</source>
        <translation>每次运行的费用</translation>
    </message>
    <message>
        <source>Cost per day</source>
        <translation>每天的费用</translation>
    </message>
    <message>
        <source>All calls together</source>
        <translation>所有调用合计</translation>
    </message>
    <message>
        <source>Each app</source>
        <translation>按应用</translation>
    </message>
    <message>
        <source>Each user</source>
        <translation>按用户</translation>
    </message>
    <message>
        <source>Each model</source>
        <translation>按模型</translation>
    </message>
    <message>
        <source>any (count each value separately)</source>
        <translation>任意（每个值分别计数）</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Measure:</source>
        <translation>度量：</translation>
    </message>
    <message>
        <source>Counted for:</source>
        <translation>统计范围：</translation>
    </message>
    <message>
        <source>Only for:</source>
        <translation>仅限：</translation>
    </message>
    <message>
        <source>Alert above:</source>
        <translation>超过此值时告警：</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>动作</translation>
    </message>
    <message>
        <source>Desktop notification and a line in Events</source>
        <translation>桌面通知，并在“事件”中记录一行</translation>
    </message>
    <message>
        <source>Pause the run (budget breakpoint)</source>
        <translation>暂停运行（预算断点）</translation>
    </message>
    <message>
        <source>Webhooks (POSTed on every alert):</source>
        <translation>Webhook（每次告警时发送 POST 请求）：</translation>
    </message>
    <message>
        <source>URL</source>
        <translation>URL</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Add Webhook</source>
        <translation>添加 Webhook</translation>
    </message>
    <message>
        <source>Remove Webhook</source>
        <translation>移除 Webhook</translation>
    </message>
    <message>
        <source>Import Plugin YAML…</source>
        <translation>导入插件 YAML…</translation>
    </message>
    <message>
        <source>Read the Dify token-metering plugin&apos;s configuration (alerting.*, prometheus.*)</source>
        <translation>读取 Dify token 计量插件的配置（alerting.*、prometheus.*）</translation>
    </message>
    <message>
        <source>Rule %1</source>
        <translation>规则 %1</translation>
    </message>
    <message>
        <source>(unnamed rule)</source>
        <translation>（未命名规则）</translation>
    </message>
    <message>
        <source>USD</source>
        <translation>USD</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>token</translation>
    </message>
    <message>
        <source>Slack</source>
        <translation>Slack</translation>
    </message>
    <message>
        <source>DingTalk</source>
        <translation>钉钉</translation>
    </message>
    <message>
        <source>WeCom (企业微信)</source>
        <translation>企业微信</translation>
    </message>
    <message>
        <source>Generic JSON</source>
        <translation>通用 JSON</translation>
    </message>
    <message>
        <source>Import Token-Metering Plugin Configuration</source>
        <translation>导入 token 计量插件配置</translation>
    </message>
    <message>
        <source>YAML files (*.yaml *.yml);;All files (*)</source>
        <translation>YAML 文件 (*.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Plugin: tokens per minute</source>
        <translation>插件：每分钟 token 数</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n rule(s) from %1.</source>
        <translation>
            <numerusform>已从 %1 导入 %n 条规则。</numerusform>
        </translation>
    </message>
    <message>
        <source>Prometheus metrics: on, port %1.</source>
        <translation>Prometheus 指标：已开启，端口 %1。</translation>
    </message>
    <message>
        <source>Prometheus metrics: off.</source>
        <translation>Prometheus 指标：已关闭。</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::ChatAttachmentStrip</name>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>frames: </source>
        <translation>帧数：</translation>
    </message>
    <message>
        <source>Keyframes to take, spread uniformly (auto: one per second, at most 30)</source>
        <translation>要提取的关键帧数，均匀分布（自动：每秒一帧，最多 30 帧）</translation>
    </message>
    <message>
        <source>fast</source>
        <translation>快速</translation>
    </message>
    <message>
        <source>exact</source>
        <translation>精确</translation>
    </message>
    <message>
        <source>fast: the nearest keyframe; exact: the frame at each timestamp</source>
        <translation>快速：取最近的关键帧；精确：取每个时间点上的帧</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Remove the video</source>
        <translation>移除视频</translation>
    </message>
    <message>
        <source>Cannot attach %1: %2</source>
        <translation>无法附加 %1：%2</translation>
    </message>
    <message>
        <source>No frames could be decoded from %1.</source>
        <translation>无法从 %1 解码出任何帧。</translation>
    </message>
    <message>
        <source>Keyframe extraction cancelled.</source>
        <translation>关键帧提取已取消。</translation>
    </message>
    <message>
        <source>Cannot take keyframes from %1: %2</source>
        <translation>无法从 %1 提取关键帧：%2</translation>
    </message>
    <message>
        <source>%1
%2×%3, sent as %4×%5, about %6 tokens</source>
        <translation>%1
%2×%3，按 %4×%5 发送，约 %6 个 token</translation>
    </message>
    <message>
        <source>Remove %1</source>
        <translation>移除 %1</translation>
    </message>
    <message>
        <source>Frame %1 at %2 s: excluded (click to include)</source>
        <translation>第 %1 帧（%2 秒）：已排除（单击以包含）</translation>
    </message>
    <message>
        <source>Frame %1 at %2 s (click to exclude)</source>
        <translation>第 %1 帧（%2 秒）（单击以排除）</translation>
    </message>
    <message>
        <source> · scaled to at most %1 MP</source>
        <translation> · 最大缩放至 %1 百万像素</translation>
    </message>
    <message>
        <source>%1 — taking keyframes…</source>
        <translation>%1 — 正在提取关键帧…</translation>
    </message>
    <message>
        <source>%1 — %2 s, %3 of %4 frames</source>
        <translation>%1 — %2 秒，第 %3 帧（共 %4 帧）</translation>
    </message>
    <message>
        <source>1 image, about %1 prompt tokens</source>
        <translation>1 张图片，约 %1 个提示词 token</translation>
    </message>
    <message>
        <source>%1 images, about %2 prompt tokens</source>
        <translation>%1 张图片，约 %2 个提示词 token</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::ChatConnectionStatus</name>
    <message>
        <source>Check now</source>
        <translation>立即检查</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>Checking %1…</source>
        <translation>正在检查 %1…</translation>
    </message>
    <message>
        <source>Connected: %1 (context %2 tokens)</source>
        <translation>已连接：%1（上下文 %2 个 token）</translation>
    </message>
    <message>
        <source>Connected: %1</source>
        <translation>已连接：%1</translation>
    </message>
    <message>
        <source>Loading: the server is up but still loading the model</source>
        <translation>加载中：服务器已启动，但仍在加载模型</translation>
    </message>
    <message>
        <source>Unreachable: nothing answers at %1</source>
        <translation>无法访问：%1 处无响应</translation>
    </message>
    <message>
        <source>Unauthorized: the server refused the API key (set it in the endpoint profile)</source>
        <translation>未授权：服务器拒绝了该 API 密钥（请在端点配置中设置）</translation>
    </message>
    <message>
        <source>Model missing: %1 is not served here (serves: %2)</source>
        <translation>模型缺失：此服务器未提供 %1（提供的模型有：%2）</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::ChatMarkdownView</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the code</source>
        <translation>复制代码</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::ChatMessageWidget</name>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Copy the message</source>
        <translation>复制消息</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>重新生成</translation>
    </message>
    <message>
        <source>Ask again for this answer</source>
        <translation>重新请求此回答</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Edit this message and send it again (later messages are removed)</source>
        <translation>编辑此消息并重新发送（之后的消息将被移除）</translation>
    </message>
    <message>
        <source>+%1</source>
        <translation>+%1</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::ChatPanel</name>
    <message>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation>工作流</translation>
    </message>
    <message>
        <source>Endpoint: chat with a model. Workflow: each message runs the open chatflow.</source>
        <translation>端点：直接与模型对话。工作流：每条消息都会运行当前打开的对话流。</translation>
    </message>
    <message>
        <source>Endpoint profile</source>
        <translation>端点配置</translation>
    </message>
    <message>
        <source>Model (from the server&apos;s /v1/models)</source>
        <translation>模型（来自服务器的 /v1/models）</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Start a new conversation</source>
        <translation>开始新对话</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>As Markdown…</source>
        <translation>Markdown 格式…</translation>
    </message>
    <message>
        <source>As JSON…</source>
        <translation>JSON 格式…</translation>
    </message>
    <message>
        <source>System prompt (optional)</source>
        <translation>系统提示词（可选）</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>Off: greedy decoding (temperature 0)</source>
        <translation>关闭时：贪心解码（温度 0）</translation>
    </message>
    <message>
        <source>temperature </source>
        <translation>温度 </translation>
    </message>
    <message>
        <source>top_p </source>
        <translation>top_p </translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source>Sent as chat_template_kwargs.enable_thinking</source>
        <translation>以 chat_template_kwargs.enable_thinking 发送</translation>
    </message>
    <message>
        <source>Thinking budget (tokens); kept at least %1 below max tokens</source>
        <translation>思考预算（token）；至少比最大 token 数少 %1</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>最大 token 数</translation>
    </message>
    <message>
        <source>Thinking budget</source>
        <translation>思考预算</translation>
    </message>
    <message>
        <source>Send a message to start. Drop or paste images, or attach a video to send its keyframes.</source>
        <translation>发送一条消息即可开始。可拖放或粘贴图片，或附加视频以发送其关键帧。</translation>
    </message>
    <message>
        <source>Attach images (or drop them here, or paste)</source>
        <translation>附加图片（也可拖放到此处或粘贴）</translation>
    </message>
    <message>
        <source>Attach a video: its keyframes are sent as images</source>
        <translation>附加视频：其关键帧将作为图片发送</translation>
    </message>
    <message>
        <source>Let the model think before it answers</source>
        <translation>让模型在回答前先思考</translation>
    </message>
    <message>
        <source>Message (Enter sends, Shift+Enter for a new line)</source>
        <translation>消息（Enter 发送，Shift+Enter 换行）</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Starting the simulator…</source>
        <translation>正在启动模拟器…</translation>
    </message>
    <message>
        <source>Looking up the key for %1…</source>
        <translation>正在查找 %1 的密钥…</translation>
    </message>
    <message>
        <source>Ask the open chatflow (sys.query)</source>
        <translation>向当前打开的对话流提问（sys.query）</translation>
    </message>
    <message>
        <source>You</source>
        <translation>你</translation>
    </message>
    <message>
        <source>Chatflow</source>
        <translation>对话流</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>助手</translation>
    </message>
    <message>
        <source>Wait until the keyframes are taken (or cancel), then send.</source>
        <translation>请等待关键帧提取完成（或取消）后再发送。</translation>
    </message>
    <message>
        <source>Not sent: the profile &quot;%1&quot; allows at most %2 image(s) per prompt, and this message would make %3 (%4 attached now, %5 earlier in the conversation). Remove images, exclude keyframes, or clear the conversation.</source>
        <translation>未发送：配置“%1”每个提示词最多允许 %2 张图片，而这条消息将使图片数达到 %3 张（本次附加 %4 张，对话中此前已有 %5 张）。请移除图片、排除关键帧或清空对话。</translation>
    </message>
    <message>
        <source>Not sent: the profile &quot;%1&quot; allows at most %2 image(s) per prompt, and %3 are attached. Remove images or exclude keyframes.</source>
        <translation>未发送：配置“%1”每个提示词最多允许 %2 张图片，而当前附加了 %3 张。请移除图片或排除关键帧。</translation>
    </message>
    <message>
        <source>%1 keyframes of %2</source>
        <translation>%2 的 %1 个关键帧</translation>
    </message>
    <message>
        <source>Starting the chatflow…</source>
        <translation>正在启动对话流…</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接 %1…</translation>
    </message>
    <message>
        <source>Waiting for the first token…</source>
        <translation>正在等待第一个 token…</translation>
    </message>
    <message>
        <source>Retrying (%1) in %2 s: %3</source>
        <translation>%2 秒后重试（第 %1 次）：%3</translation>
    </message>
    <message>
        <source>Streaming…</source>
        <translation>正在流式输出…</translation>
    </message>
    <message>
        <source>The answer was cut at the max tokens limit (%1).</source>
        <translation>回答在达到最大 token 数限制（%1）时被截断。</translation>
    </message>
    <message>
        <source>
Server: %1</source>
        <translation>
服务器：%1</translation>
    </message>
    <message>
        <source>The server takes at most %1 image(s) in one prompt, and this conversation sends %2 (every earlier image is sent again with each message). Remove images or exclude keyframes, clear the conversation, or start vLLM with a higher --limit-mm-per-prompt (e.g. &apos;{&quot;image&quot;:32}&apos;). Set the profile&apos;s image limit to %1 to be warned before sending.</source>
        <translation>服务器每个提示词最多接受 %1 张图片，而此对话要发送 %2 张（之前的每张图片都会随每条消息重新发送）。请移除图片或排除关键帧、清空对话，或以更大的 --limit-mm-per-prompt 启动 vLLM（例如 &apos;{&quot;image&quot;:32}&apos;）。将配置的图片上限设为 %1，即可在发送前收到提醒。</translation>
    </message>
    <message>
        <source>The server refused the number of images in this prompt (%1). Remove images or raise --limit-mm-per-prompt.</source>
        <translation>服务器拒绝了此提示词中的图片数量（%1）。请移除图片或调高 --limit-mm-per-prompt。</translation>
    </message>
    <message>
        <source>Cannot reach %1. Is the server running?</source>
        <translation>无法连接 %1。服务器是否正在运行？</translation>
    </message>
    <message>
        <source>The server is still loading the model; try again in a moment.</source>
        <translation>服务器仍在加载模型；请稍后再试。</translation>
    </message>
    <message>
        <source>The server refused the API key. Set the key in the endpoint profile.</source>
        <translation>服务器拒绝了该 API 密钥。请在端点配置中设置密钥。</translation>
    </message>
    <message>
        <source>The server does not serve the model &quot;%1&quot;. Pick one from the list.</source>
        <translation>服务器未提供模型“%1”。请从列表中选择一个。</translation>
    </message>
    <message>
        <source>The prompt and max tokens do not fit the model&apos;s context. Lower max tokens, send fewer or smaller images, or clear the conversation.</source>
        <translation>提示词与最大 token 数超出了模型的上下文长度。请调低最大 token 数、发送更少或更小的图片，或清空对话。</translation>
    </message>
    <message>
        <source>Rate limited by the server.</source>
        <translation>已被服务器限流。</translation>
    </message>
    <message>
        <source>The server stopped answering (timeout).</source>
        <translation>服务器停止了响应（超时）。</translation>
    </message>
    <message>
        <source>The request failed (%1).</source>
        <translation>请求失败（%1）。</translation>
    </message>
    <message>
        <source>%1 prompt</source>
        <translation>提示词 %1</translation>
    </message>
    <message>
        <source>%1 completion</source>
        <translation>补全 %1</translation>
    </message>
    <message>
        <source>%1 reasoning</source>
        <translation>推理 %1</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> token</translation>
    </message>
    <message>
        <source>%1 completion tokens</source>
        <translation>补全 %1 token</translation>
    </message>
    <message>
        <source>first token %1 s</source>
        <translation>首 token %1 秒</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 token/秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>cost %1 %2</source>
        <translation>费用 %1 %2</translation>
    </message>
    <message>
        <source>cost —</source>
        <translation>费用 —</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>No price known for this model</source>
        <translation>此模型未定价</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Stop the answer (the server stops generating)</source>
        <translation>停止回答（服务器将停止生成）</translation>
    </message>
    <message>
        <source># Chat with %1 (%2)

</source>
        <translation># 与 %1 的对话（%2）

</translation>
    </message>
    <message>
        <source># Chatflow conversation %1

</source>
        <translation># 对话流会话 %1

</translation>
    </message>
    <message>
        <source>**System:** %1

</source>
        <translation>**系统：** %1

</translation>
    </message>
    <message>
        <source>## You

</source>
        <translation>## 你

</translation>
    </message>
    <message>
        <source>## %1

</source>
        <translation>## %1

</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Export conversation as Markdown</source>
        <translation>将对话导出为 Markdown</translation>
    </message>
    <message>
        <source>Markdown (*.md)</source>
        <translation>Markdown (*.md)</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <source>Export conversation as JSON</source>
        <translation>将对话导出为 JSON</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Attach images</source>
        <translation>附加图片</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.webp *.bmp *.gif *.tif *.tiff)</translation>
    </message>
    <message>
        <source>Attach a video</source>
        <translation>附加视频</translation>
    </message>
    <message>
        <source>Videos (*.mp4 *.mov *.mkv *.webm *.avi *.m4v *.mpg *.ts)</source>
        <translation>视频 (*.mp4 *.mov *.mkv *.webm *.avi *.m4v *.mpg *.ts)</translation>
    </message>
    <message>
        <source>%1 is neither an image nor a video.</source>
        <translation>%1 既不是图片也不是视频。</translation>
    </message>
    <message>
        <source>pasted image</source>
        <translation>粘贴的图片</translation>
    </message>
    <message>
        <source>dropped image</source>
        <translation>拖放的图片</translation>
    </message>
    <message>
        <source>▸ %1…</source>
        <translation>▸ %1…</translation>
    </message>
    <message>
        <source>✓ %1  %2 s</source>
        <translation>✓ %1  %2 秒</translation>
    </message>
    <message>
        <source>✗ %1: %2</source>
        <translation>✗ %1：%2</translation>
    </message>
    <message>
        <source>The run failed.</source>
        <translation>运行失败。</translation>
    </message>
    <message>
        <source>+ Image</source>
        <translation>+ 图片</translation>
    </message>
    <message>
        <source>+ Video</source>
        <translation>+ 视频</translation>
    </message>
    <message>
        <source>*1 image attached*</source>
        <translation>*已附加 1 张图片*</translation>
    </message>
    <message>
        <source>*%1 images attached*</source>
        <translation>*已附加 %1 张图片*</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::ChatThinkingSection</name>
    <message>
        <source>Thinking…</source>
        <translation>正在思考…</translation>
    </message>
    <message>
        <source>Thought for %1 s</source>
        <translation>已思考 %1 秒</translation>
    </message>
    <message>
        <source>Thinking</source>
        <translation>思考</translation>
    </message>
    <message>
        <source> · 1 token</source>
        <translation> · 1 个 token</translation>
    </message>
    <message>
        <source> · %1 tokens</source>
        <translation> · %1 个 token</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::EventModel</name>
    <message>
        <source>stream ×%1</source>
        <translation>流式 ×%1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>信息</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::EventsPanel</name>
    <message>
        <source>Show the events of one node</source>
        <translation>只显示某个节点的事件</translation>
    </message>
    <message>
        <source>Show the events of one node kind</source>
        <translation>只显示某类节点的事件</translation>
    </message>
    <message>
        <source>Filter events…</source>
        <translation>过滤事件…</translation>
    </message>
    <message>
        <source>%1 of %2 events</source>
        <translation>%1 个事件（共 %2 个）</translation>
    </message>
    <message>
        <source>Follow</source>
        <translation>跟随</translation>
    </message>
    <message>
        <source>Keep the newest event in view</source>
        <translation>始终显示最新的事件</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Remove every event from the table</source>
        <translation>从表格中移除所有事件</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Select an event to see its inputs, outputs and error.</source>
        <translation>选择一个事件以查看其输入、输出和错误。</translation>
    </message>
    <message>
        <source>Copy as JSON Lines</source>
        <translation>复制为 JSON Lines</translation>
    </message>
    <message>
        <source>Follow New Events</source>
        <translation>跟随新事件</translation>
    </message>
    <message>
        <source>All nodes</source>
        <translation>所有节点</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>所有类型</translation>
    </message>
    <message>
        <source>%1 events</source>
        <translation>%1 个事件</translation>
    </message>
    <message>
        <source>No event selected</source>
        <translation>未选择事件</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Streamed text (%1 chunks from %2)</source>
        <translation>流式文本（来自 %2 的 %1 个数据块）</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Process data</source>
        <translation>处理数据</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Usage</source>
        <translation>用量</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>元数据</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::InspectorPanel</name>
    <message>
        <source>Workflow settings…</source>
        <translation>工作流设置…</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <source>Add a description…</source>
        <translation>添加描述…</translation>
    </message>
    <message>
        <source>Unsupported (%1)</source>
        <translation>不支持（%1）</translation>
    </message>
    <message>
        <source>%1 · id %2</source>
        <translation>%1 · id %2</translation>
    </message>
    <message>
        <source>Chatflow</source>
        <translation>对话流</translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation>工作流</translation>
    </message>
    <message>
        <source>Untitled workflow</source>
        <translation>未命名工作流</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>连线</translation>
    </message>
    <message>
        <source>Environment variables</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>Conversation variables</source>
        <translation>会话变量</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message numerus="yes">
        <source>%n error(s)</source>
        <translation>
            <numerusform>%n 个错误</numerusform>
        </translation>
    </message>
    <message>
        <source>Select a node on the canvas to edit its properties.</source>
        <translation>在画布上选择一个节点以编辑其属性。</translation>
    </message>
    <message>
        <source>Rename node</source>
        <translation>重命名节点</translation>
    </message>
    <message>
        <source>Change node description</source>
        <translation>修改节点描述</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::OutlinePanel</name>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Unsupported: %1</source>
        <translation>不支持：%1</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>注释</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::PriceEditor</name>
    <message>
        <source>Model Prices</source>
        <translation>模型价格</translation>
    </message>
    <message>
        <source>Prices per million tokens. Cached and reasoning prices may stay empty (the input and output prices apply). A GPU price per hour replaces the token prices: cost = hourly price × request time ÷ concurrency. A model without a row is shown as unpriced.</source>
        <translation>价格按每百万 token 计。缓存和推理价格可以留空（此时按输入和输出价格计算）。填写 GPU 每小时价格后将取代 token 价格：费用 = 每小时价格 × 请求时长 ÷ 并发数。没有对应行的模型将显示为未定价。</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>Input / 1M</source>
        <translation>输入 / 1M</translation>
    </message>
    <message>
        <source>Output / 1M</source>
        <translation>输出 / 1M</translation>
    </message>
    <message>
        <source>Cached / 1M</source>
        <translation>缓存 / 1M</translation>
    </message>
    <message>
        <source>Reasoning / 1M</source>
        <translation>推理 / 1M</translation>
    </message>
    <message>
        <source>Currency</source>
        <translation>货币</translation>
    </message>
    <message>
        <source>Effective from</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <source>GPU / hour</source>
        <translation>GPU / 小时</translation>
    </message>
    <message>
        <source>Concurrency</source>
        <translation>并发数</translation>
    </message>
    <message>
        <source>Currencies (value of one unit in USD):</source>
        <translation>货币（每单位折合 USD）：</translation>
    </message>
    <message>
        <source>USD per unit</source>
        <translation>每单位折合 USD</translation>
    </message>
    <message>
        <source>Add Model</source>
        <translation>添加模型</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Add Currency</source>
        <translation>添加货币</translation>
    </message>
    <message>
        <source>Import LiteLLM JSON…</source>
        <translation>导入 LiteLLM JSON…</translation>
    </message>
    <message>
        <source>Merge LiteLLM&apos;s model_prices_and_context_window.json (USD)</source>
        <translation>合并 LiteLLM 的 model_prices_and_context_window.json（USD）</translation>
    </message>
    <message>
        <source>Reset to Bundled</source>
        <translation>恢复为内置价格</translation>
    </message>
    <message numerus="yes">
        <source>%n model price(s)</source>
        <translation>
            <numerusform>%n 个模型价格</numerusform>
        </translation>
    </message>
    <message>
        <source>Row %1, %2: &quot;%3&quot; is not valid.</source>
        <translation>第 %1 行，%2：“%3”无效。</translation>
    </message>
    <message>
        <source> (no rate to USD)</source>
        <translation>（无 USD 汇率）</translation>
    </message>
    <message>
        <source>Import LiteLLM Prices</source>
        <translation>导入 LiteLLM 价格</translation>
    </message>
    <message>
        <source>LiteLLM price files (*.json)</source>
        <translation>LiteLLM 价格文件 (*.json)</translation>
    </message>
    <message numerus="yes">
        <source>Imported %n model price(s) from %1.</source>
        <translation>
            <numerusform>已从 %1 导入 %n 个模型价格。</numerusform>
        </translation>
    </message>
    <message>
        <source>The bundled prices are shown; Save keeps them.</source>
        <translation>当前显示的是内置价格；保存后即采用这些价格。</translation>
    </message>
    <message>
        <source>Saved to %1.</source>
        <translation>已保存到 %1。</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::ProblemsPanel</name>
    <message>
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>字段</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>信息</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>未发现问题。</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::ProfileEditor</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Duplicate</source>
        <translation>创建副本</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Set as Default</source>
        <translation>设为默认</translation>
    </message>
    <message>
        <source>Runs use the default profile unless a workflow names another</source>
        <translation>除非工作流指定了其他配置，否则运行时使用默认配置</translation>
    </message>
    <message>
        <source>The built-in simulator answers offline, on this computer. It cannot be changed; duplicate it to make a variant.</source>
        <translation>内置模拟器在本机离线应答，不能修改；如需变体，请创建其副本。</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>vLLM</source>
        <translation>vLLM</translation>
    </message>
    <message>
        <source>llama.cpp (llama-server)</source>
        <translation>llama.cpp (llama-server)</translation>
    </message>
    <message>
        <source>Ollama</source>
        <translation>Ollama</translation>
    </message>
    <message>
        <source>OpenAI-compatible API</source>
        <translation>兼容 OpenAI 的 API</translation>
    </message>
    <message>
        <source>Simulator</source>
        <translation>模拟器</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>服务器</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>Forget</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Remove the stored key from the keychain</source>
        <translation>从钥匙串中删除已保存的密钥</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>e.g. OPENAI_API_KEY (read before the keychain)</source>
        <translation>例如 OPENAI_API_KEY（优先于钥匙串读取）</translation>
    </message>
    <message>
        <source>Key variable</source>
        <translation>密钥环境变量</translation>
    </message>
    <message>
        <source>Without a keychain, keep it in a private file</source>
        <translation>没有钥匙串时，保存在私有文件中</translation>
    </message>
    <message>
        <source>Used only when the system keychain cannot store the key: the key then goes to a file only you can read</source>
        <translation>仅在系统钥匙串无法保存密钥时使用：此时密钥将写入仅您本人可读的文件</translation>
    </message>
    <message>
        <source>The served model name</source>
        <translation>服务器提供的模型名称</translation>
    </message>
    <message>
        <source>Default model</source>
        <translation>默认模型</translation>
    </message>
    <message>
        <source>Test Connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Model mapping</source>
        <translation>模型映射</translation>
    </message>
    <message>
        <source>Model names used in workflows (&quot;provider/name&quot; or &quot;name&quot;) and the model this server serves instead.</source>
        <translation>工作流中使用的模型名称（&quot;provider/name&quot; 或 &quot;name&quot;），以及此服务器用来代替它的模型。</translation>
    </message>
    <message>
        <source>Workflow model</source>
        <translation>工作流中的模型</translation>
    </message>
    <message>
        <source>Served model</source>
        <translation>服务器提供的模型</translation>
    </message>
    <message>
        <source>Add Mapping</source>
        <translation>添加映射</translation>
    </message>
    <message>
        <source>Remove Mapping</source>
        <translation>移除映射</translation>
    </message>
    <message>
        <source>Default parameters</source>
        <translation>默认参数</translation>
    </message>
    <message>
        <source>Limits</source>
        <translation>限制</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>不限制</translation>
    </message>
    <message>
        <source>Images per prompt</source>
        <translation>每个提示词的图片数</translation>
    </message>
    <message>
        <source>Larger images are scaled down to this many pixels</source>
        <translation>更大的图片会缩小到此像素数</translation>
    </message>
    <message>
        <source>Pixels per image</source>
        <translation>每张图片的像素数</translation>
    </message>
    <message>
        <source>Will be forgotten when you apply</source>
        <translation>应用后将被清除</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>（未命名）</translation>
    </message>
    <message>
        <source>Default profile: runs use it unless told otherwise</source>
        <translation>默认配置：除非另行指定，运行时都使用它</translation>
    </message>
    <message>
        <source>Built in; duplicate it to change it</source>
        <translation>内置配置；如需修改，请创建其副本</translation>
    </message>
    <message>
        <source>Enter a JSON object, such as {&quot;temperature&quot;: 0.7}.</source>
        <translation>请输入 JSON 对象，例如 {&quot;temperature&quot;: 0.7}。</translation>
    </message>
    <message>
        <source>Not needed</source>
        <translation>不需要</translation>
    </message>
    <message>
        <source>•••• from $%1</source>
        <translation>•••• 来自 $%1</translation>
    </message>
    <message>
        <source>Optional for local servers</source>
        <translation>本地服务器可不填</translation>
    </message>
    <message>
        <source>•••• stored in a private file — type to replace</source>
        <translation>•••• 已保存在私有文件中 — 输入新值以替换</translation>
    </message>
    <message>
        <source>•••• stored in keychain — type to replace</source>
        <translation>•••• 已保存在钥匙串中 — 输入新值以替换</translation>
    </message>
    <message>
        <source>New endpoint</source>
        <translation>新端点</translation>
    </message>
    <message>
        <source>%1 copy</source>
        <translation>%1 副本</translation>
    </message>
    <message>
        <source>There is no profile store.</source>
        <translation>没有配置存储。</translation>
    </message>
    <message>
        <source>There are two profiles named “%1”.</source>
        <translation>有两个配置都名为“%1”。</translation>
    </message>
    <message>
        <source>The default parameters of “%1” are not a JSON object.</source>
        <translation>“%1”的默认参数不是 JSON 对象。</translation>
    </message>
    <message>
        <source>Profile “%1”: %2</source>
        <translation>配置“%1”：%2</translation>
    </message>
    <message>
        <source>Enter a base URL such as %1.</source>
        <translation>请输入基础 URL，例如 %1。</translation>
    </message>
    <message>
        <source>Connected · %1 · max_model_len %2</source>
        <translation>已连接 · %1 · max_model_len %2</translation>
    </message>
    <message>
        <source>Connected · %1</source>
        <translation>已连接 · %1</translation>
    </message>
    <message>
        <source>Model “%1” is not served here. Available: %2</source>
        <translation>此服务器未提供模型“%1”。可用模型：%2</translation>
    </message>
    <message>
        <source>Unauthorized: check the API key</source>
        <translation>未授权：请检查 API 密钥</translation>
    </message>
    <message>
        <source>Loading: the server is still loading the model</source>
        <translation>加载中：服务器仍在加载模型</translation>
    </message>
    <message>
        <source>Unreachable: %1</source>
        <translation>无法连接：%1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::PropertyForm</name>
    <message>
        <source>Short text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Paragraph</source>
        <translation>段落</translation>
    </message>
    <message>
        <source>Select</source>
        <translation>下拉选项</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>Checkbox</source>
        <translation>复选框</translation>
    </message>
    <message>
        <source>Single file</source>
        <translation>单文件</translation>
    </message>
    <message>
        <source>File list</source>
        <translation>文件列表</translation>
    </message>
    <message>
        <source>JSON object</source>
        <translation>JSON 对象</translation>
    </message>
    <message>
        <source>External data tool</source>
        <translation>外部数据工具</translation>
    </message>
    <message>
        <source>None</source>
        <translation>无</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
    <message>
        <source>AND</source>
        <translation>且</translation>
    </message>
    <message>
        <source>OR</source>
        <translation>或</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>Flowbench does not know the node kind &quot;%1&quot;; its data is kept as it is.</source>
        <translation>Flowbench 无法识别节点类型“%1”；其数据将原样保留。</translation>
    </message>
    <message>
        <source>This node has no settings.</source>
        <translation>此节点没有设置项。</translation>
    </message>
    <message>
        <source>%1 is required.</source>
        <translation>%1 为必填项。</translation>
    </message>
    <message>
        <source>Between %1 and %2.</source>
        <translation>范围为 %1 到 %2。</translation>
    </message>
    <message>
        <source>Not a whole number.</source>
        <translation>不是整数。</translation>
    </message>
    <message>
        <source>Not a number.</source>
        <translation>不是数字。</translation>
    </message>
    <message>
        <source>Must be between %1 and %2.</source>
        <translation>必须介于 %1 和 %2 之间。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not one of the allowed values.</source>
        <translation>“%1”不是允许的值。</translation>
    </message>
    <message>
        <source>Not valid JSON: %1</source>
        <translation>不是有效的 JSON：%1</translation>
    </message>
    <message>
        <source>One value per line.</source>
        <translation>每行一个值。</translation>
    </message>
    <message>
        <source>One per line.</source>
        <translation>每行一个。</translation>
    </message>
    <message>
        <source>Not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>Choose a variable</source>
        <translation>选择变量</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>No variables yet.</source>
        <translation>暂无变量。</translation>
    </message>
    <message>
        <source>Add variable</source>
        <translation>添加变量</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>供应商</translation>
    </message>
    <message>
        <source>OpenAI-compatible endpoint</source>
        <translation>兼容 OpenAI 的端点</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>The endpoint profile&apos;s default</source>
        <translation>端点配置的默认模型</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Completion parameters as JSON: temperature, top_p, max_tokens, presence_penalty, stop, ...</source>
        <translation>以 JSON 表示的补全参数：temperature、top_p、max_tokens、presence_penalty、stop 等</translation>
    </message>
    <message>
        <source>order</source>
        <translation>顺序</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>list</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>None yet.</source>
        <translation>暂无。</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Message role</source>
        <translation>消息角色</translation>
    </message>
    <message>
        <source>Editor</source>
        <translation>编辑模式</translation>
    </message>
    <message>
        <source>basic: {{#node.var#}} references; jinja2: a Jinja2 template with the Jinja2 variables</source>
        <translation>basic：使用 {{#node.var#}} 引用；jinja2：使用 Jinja2 变量的 Jinja2 模板</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Add message</source>
        <translation>添加消息</translation>
    </message>
    <message>
        <source>Variable</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>运算符</translation>
    </message>
    <message>
        <source>Operators for %1</source>
        <translation>%1 的运算符</translation>
    </message>
    <message>
        <source>Value; {{#node.var#}} allowed</source>
        <translation>值；可使用 {{#node.var#}}</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>No conditions.</source>
        <translation>无条件。</translation>
    </message>
    <message>
        <source>Add condition</source>
        <translation>添加条件</translation>
    </message>
    <message>
        <source>Conditions</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>IF</source>
        <translation>IF</translation>
    </message>
    <message>
        <source>ELIF</source>
        <translation>ELIF</translation>
    </message>
    <message>
        <source>Combine with</source>
        <translation>条件组合</translation>
    </message>
    <message>
        <source>How the conditions combine</source>
        <translation>条件的组合方式</translation>
    </message>
    <message>
        <source>Add ELIF</source>
        <translation>添加 ELIF</translation>
    </message>
    <message>
        <source>ELSE: taken when no case is true.</source>
        <translation>ELSE：所有分支都不为真时执行。</translation>
    </message>
    <message>
        <source>Output names are identifiers: letters, digits, _.</source>
        <translation>输出名称必须是标识符：字母、数字和 _。</translation>
    </message>
    <message>
        <source>Another output is named &quot;%1&quot;.</source>
        <translation>已有另一个输出名为“%1”。</translation>
    </message>
    <message>
        <source>Add output</source>
        <translation>添加输出</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Choose file variable…</source>
        <translation>选择文件变量…</translation>
    </message>
    <message>
        <source>None: the run fails</source>
        <translation>无：运行失败</translation>
    </message>
    <message>
        <source>Fail branch</source>
        <translation>失败分支</translation>
    </message>
    <message>
        <source>Default value</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an error strategy.</source>
        <translation>“%1”不是有效的异常处理策略。</translation>
    </message>
    <message>
        <source>Error: </source>
        <translation>错误：</translation>
    </message>
    <message>
        <source>Warning: </source>
        <translation>警告：</translation>
    </message>
    <message>
        <source>Change %1 %2</source>
        <translation>更改 %1：%2</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::RunCompareDialog</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
    <message>
        <source>(the node did not run)</source>
        <translation>（该节点未运行）</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Compare Runs</source>
        <translation>比较运行</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Status (A → B)</source>
        <translation>状态（A → B）</translation>
    </message>
    <message>
        <source>Outputs A</source>
        <translation>A 的输出</translation>
    </message>
    <message>
        <source>Outputs B</source>
        <translation>B 的输出</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>≠ marks nodes whose outputs differ</source>
        <translation>≠ 标记输出不同的节点</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>not run</source>
        <translation>未运行</translation>
    </message>
    <message>
        <source>The outputs differ</source>
        <translation>输出不同</translation>
    </message>
    <message>
        <source>Select a node to see its outputs in full.</source>
        <translation>选择一个节点以查看其完整输出。</translation>
    </message>
    <message>
        <source>&lt;b&gt;A&lt;/b&gt; · %1</source>
        <translation>&lt;b&gt;A&lt;/b&gt; · %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;B&lt;/b&gt; · %1</source>
        <translation>&lt;b&gt;B&lt;/b&gt; · %1</translation>
    </message>
    <message>
        <source>The outputs of every node are the same.</source>
        <translation>所有节点的输出都相同。</translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) with different outputs, marked ≠.</source>
        <translation>
            <numerusform>有 %n 个节点的输出不同，已用 ≠ 标记。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>flowbench::panels::RunHistoryPanel</name>
    <message>
        <source>Succeeded</source>
        <translation>成功</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>部分成功</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Show this run on the canvas and in the panels</source>
        <translation>在画布和各面板中显示此次运行</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>Compare two selected runs node by node</source>
        <translation>逐个节点比较所选的两次运行</translation>
    </message>
    <message>
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <source>Run again offline: model, HTTP and tool nodes answer with their recorded outputs</source>
        <translation>离线重新运行：模型、HTTP 和工具节点将使用其记录的输出作答</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Export as JSON…</source>
        <translation>导出为 JSON…</translation>
    </message>
    <message>
        <source>Export as Chrome Trace…</source>
        <translation>导出为 Chrome Trace…</translation>
    </message>
    <message>
        <source>Trace Event Format, for chrome://tracing or Perfetto</source>
        <translation>Trace Event 格式，可用于 chrome://tracing 或 Perfetto</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>耗时</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>费用</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>No runs of this workflow yet.
Press Run (F5) to record one.</source>
        <translation>此工作流还没有运行记录。
按“运行”（F5）即可记录一次。</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n run(s) with their events? This cannot be undone.</source>
        <translation>
            <numerusform>要删除 %n 条运行记录及其事件吗？此操作无法撤销。</numerusform>
        </translation>
    </message>
    <message>
        <source>Run History</source>
        <translation>运行历史</translation>
    </message>
    <message>
        <source>Run %1 of “%2”: %3</source>
        <translation>“%2”的运行 %1：%3</translation>
    </message>
    <message numerus="yes">
        <source>%n node(s) failed and were handled</source>
        <translation>
            <numerusform>%n 个节点失败，已按异常处理策略处理</numerusform>
        </translation>
    </message>
    <message>
        <source>Costs appear once a price table is configured</source>
        <translation>配置价格表后将显示费用</translation>
    </message>
    <message>
        <source>Delete run %1 with its events? This cannot be undone.</source>
        <translation>要删除运行记录 %1 及其事件吗？此操作无法撤销。</translation>
    </message>
    <message>
        <source>there is no run store</source>
        <translation>没有运行记录库</translation>
    </message>
    <message>
        <source>Export Run as Chrome Trace</source>
        <translation>将运行导出为 Chrome Trace</translation>
    </message>
    <message>
        <source>Export Run as JSON</source>
        <translation>将运行导出为 JSON</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON 文件 (*.json)</translation>
    </message>
    <message>
        <source>Exported run %1 to %2</source>
        <translation>已将运行 %1 导出到 %2</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::RunInputsDialog</name>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Run “%1”</source>
        <translation>运行“%1”</translation>
    </message>
    <message>
        <source>Inputs of the Start node. Fields marked * are required.</source>
        <translation>开始节点的输入。标有 * 的字段为必填项。</translation>
    </message>
    <message>
        <source>Query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>The user&apos;s message (sys.query)</source>
        <translation>用户的消息（sys.query）</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Files sent with the message (sys.files), one path per line</source>
        <translation>随消息发送的文件（sys.files），每行一个路径</translation>
    </message>
    <message>
        <source>This workflow takes no inputs.</source>
        <translation>此工作流不需要输入。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Defaults</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>Put every field back to its default value</source>
        <translation>将所有字段恢复为默认值</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>One file path per line</source>
        <translation>每行一个文件路径</translation>
    </message>
    <message>
        <source>Path to a file</source>
        <translation>文件路径</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Choose Files</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <source>Choose a File</source>
        <translation>选择一个文件</translation>
    </message>
    <message>
        <source>A number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>This field is required.</source>
        <translation>此字段为必填项。</translation>
    </message>
    <message>
        <source>Enter a number.</source>
        <translation>请输入数字。</translation>
    </message>
    <message>
        <source>Enter a JSON object, such as {&quot;key&quot;: &quot;value&quot;}.</source>
        <translation>请输入 JSON 对象，例如 {&quot;key&quot;: &quot;value&quot;}。</translation>
    </message>
    <message>
        <source>No such file: %1</source>
        <translation>文件不存在：%1</translation>
    </message>
    <message>
        <source>Choose one file.</source>
        <translation>请选择一个文件。</translation>
    </message>
    <message numerus="yes">
        <source>Choose at most %n file(s).</source>
        <translation>
            <numerusform>最多选择 %n 个文件。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>At most %n character(s).</source>
        <translation>
            <numerusform>最多 %n 个字符。</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n field(s) need attention.</source>
        <translation>
            <numerusform>有 %n 个字段需要处理。</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>flowbench::panels::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Endpoints</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>OpenAI-compatible servers that LLM nodes talk to. Keys are kept in the system keychain, never in workflow files.</source>
        <translation>LLM 节点所连接的兼容 OpenAI 的服务器。密钥保存在系统钥匙串中，绝不会写入工作流文件。</translation>
    </message>
    <message>
        <source>Code Nodes</source>
        <translation>代码节点</translation>
    </message>
    <message>
        <source>Python code nodes and Jinja2 templates run in this interpreter (it needs the jinja2 package).</source>
        <translation>Python 代码节点和 Jinja2 模板在此解释器中运行（需要安装 jinja2 包）。</translation>
    </message>
    <message>
        <source>python3 from PATH</source>
        <translation>PATH 中的 python3</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <source>Interpreter</source>
        <translation>解释器</translation>
    </message>
    <message>
        <source>The FLOWBENCH_PYTHON environment variable, when set, wins over this setting.</source>
        <translation>如果设置了 FLOWBENCH_PYTHON 环境变量，则以它为准，而不使用此设置。</translation>
    </message>
    <message>
        <source>Appearance</source>
        <translation>外观</translation>
    </message>
    <message>
        <source>How Flowbench looks and which language it speaks.</source>
        <translation>Flowbench 的外观和界面语言。</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>A new language applies after Flowbench restarts.</source>
        <translation>新语言将在 Flowbench 重启后生效。</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <source>Autosave every</source>
        <translation>自动保存间隔</translation>
    </message>
    <message>
        <source>While a workflow has unsaved changes, a recovery copy is written this often. It is offered again after a crash.</source>
        <translation>当工作流有未保存的更改时，会按此间隔写入一份恢复副本。程序崩溃后会再次提供恢复。</translation>
    </message>
    <message>
        <source>Choose a Python Interpreter</source>
        <translation>选择 Python 解释器</translation>
    </message>
    <message>
        <source>python3 is not on PATH; choose an interpreter.</source>
        <translation>PATH 中没有 python3；请选择一个解释器。</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在检查…</translation>
    </message>
    <message>
        <source>%1 exited with code %2</source>
        <translation>%1 已退出，退出码为 %2</translation>
    </message>
    <message>
        <source>Cannot run %1: %2</source>
        <translation>无法运行 %1：%2</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::SingleNodeInputsDialog</name>
    <message>
        <source>Run “%1”</source>
        <translation>运行“%1”</translation>
    </message>
    <message>
        <source>Values this node reads, from the last run or the current pool. Edit them as text or as JSON, then run the node alone.</source>
        <translation>此节点读取的值，来自上次运行或当前变量池。可按文本或 JSON 编辑，然后单独运行该节点。</translation>
    </message>
    <message>
        <source>(not in the pool: leave empty to leave it unset)</source>
        <translation>（不在变量池中：留空则保持未设置）</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>This node reads no variables.</source>
        <translation>此节点不读取任何变量。</translation>
    </message>
    <message>
        <source>Run Node</source>
        <translation>运行节点</translation>
    </message>
    <message>
        <source>Not valid JSON. Switch to Text to pass it as a string.</source>
        <translation>不是有效的 JSON。切换到“文本”可将其作为字符串传入。</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::TemplateLexer</name>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Variable reference</source>
        <translation>变量引用</translation>
    </message>
    <message>
        <source>Invalid variable reference</source>
        <translation>无效的变量引用</translation>
    </message>
    <message>
        <source>Jinja tag</source>
        <translation>Jinja 标签</translation>
    </message>
    <message>
        <source>Jinja keyword</source>
        <translation>Jinja 关键字</translation>
    </message>
    <message>
        <source>Jinja expression</source>
        <translation>Jinja 表达式</translation>
    </message>
    <message>
        <source>Jinja comment</source>
        <translation>Jinja 注释</translation>
    </message>
    <message>
        <source>Jinja string</source>
        <translation>Jinja 字符串</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::UsagePanel</name>
    <message>
        <source>≤%1 s</source>
        <translation>≤%1 秒</translation>
    </message>
    <message>
        <source>&gt;%1 s</source>
        <translation>&gt;%1 秒</translation>
    </message>
    <message>
        <source>Follow Live Runs</source>
        <translation>跟随实时运行</translation>
    </message>
    <message>
        <source>Show the next run&apos;s usage as it happens</source>
        <translation>实时显示下一次运行的用量</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <source>Save the numbers of the current tab as CSV</source>
        <translation>将当前标签页的数据保存为 CSV</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Cached</source>
        <translation>缓存</translation>
    </message>
    <message>
        <source>Calls</source>
        <translation>调用次数</translation>
    </message>
    <message>
        <source>Cost (USD)</source>
        <translation>费用（USD）</translation>
    </message>
    <message>
        <source>USD</source>
        <translation>USD</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Unpriced</source>
        <translation>未定价</translation>
    </message>
    <message>
        <source>Tokens per minute</source>
        <translation>每分钟 token 数</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Minute</source>
        <translation>分钟</translation>
    </message>
    <message>
        <source>Latency, upper bound (s)</source>
        <translation>延迟上限（秒）</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>Completion</source>
        <translation>补全</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>分组</translation>
    </message>
    <message>
        <source>Tokens per Node</source>
        <translation>各节点 token 数</translation>
    </message>
    <message>
        <source>Cost by Model</source>
        <translation>各模型费用</translation>
    </message>
    <message>
        <source>Tokens per Minute</source>
        <translation>每分钟 token 数</translation>
    </message>
    <message>
        <source>Across Runs</source>
        <translation>跨运行汇总</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>自定义范围</translation>
    </message>
    <message>
        <source>App</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Period:</source>
        <translation>时间段：</translation>
    </message>
    <message>
        <source>Group by:</source>
        <translation>分组依据：</translation>
    </message>
    <message>
        <source>(unknown model)</source>
        <translation>（未知模型）</translation>
    </message>
    <message>
        <source>%1 — unpriced</source>
        <translation>%1 — 未定价</translation>
    </message>
    <message numerus="yes">
        <source>%1 — %2 + %n unpriced</source>
        <translation>
            <numerusform>%1 — %2 + %n 次调用未定价</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>unpriced</source>
        <translation>未定价</translation>
    </message>
    <message>
        <source>Waiting for the next run…</source>
        <translation>正在等待下一次运行…</translation>
    </message>
    <message>
        <source>Run %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>No LLM calls recorded for this run yet.</source>
        <translation>本次运行尚未记录任何 LLM 调用。</translation>
    </message>
    <message numerus="yes">
        <source>%1 tokens (input %2, output %3, reasoning %4) in %n call(s)</source>
        <translation>
            <numerusform>%n 次调用共 %1 个 token（输入 %2，输出 %3，推理 %4）</numerusform>
        </translation>
    </message>
    <message>
        <source> · cost: unpriced</source>
        <translation> · 费用：未定价</translation>
    </message>
    <message>
        <source> · cost: %1</source>
        <translation> · 费用：%1</translation>
    </message>
    <message numerus="yes">
        <source> · %n unpriced call(s)</source>
        <translation>
            <numerusform> · %n 次调用未定价</numerusform>
        </translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message numerus="yes">
        <source> + %n unpriced</source>
        <translation>
            <numerusform> + %n 次调用未定价</numerusform>
        </translation>
    </message>
    <message>
        <source>No run store: totals across runs are not available.</source>
        <translation>没有运行记录库：无法提供跨运行的汇总。</translation>
    </message>
    <message>
        <source>No LLM calls in this period.</source>
        <translation>此时间段内没有 LLM 调用。</translation>
    </message>
    <message numerus="yes">
        <source>%1 tokens in %n call(s)</source>
        <translation>
            <numerusform>%n 次调用共 %1 个 token</numerusform>
        </translation>
    </message>
    <message>
        <source>Export Usage as CSV</source>
        <translation>将用量导出为 CSV</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::ValueViewer</name>
    <message>
        <source>Select a variable to see its value.</source>
        <translation>选择一个变量以查看其值。</translation>
    </message>
    <message>
        <source>%1 · %2 × %3 px</source>
        <translation>%1 · %2 × %3 像素</translation>
    </message>
    <message>
        <source>image</source>
        <translation>图片</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::VariablePicker</name>
    <message>
        <source>System</source>
        <translation>系统变量</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>会话变量</translation>
    </message>
    <message>
        <source>Search variables</source>
        <translation>搜索变量</translation>
    </message>
    <message>
        <source>Variable</source>
        <translation>变量</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>No variables</source>
        <translation>没有变量</translation>
    </message>
    <message>
        <source>No variable matches</source>
        <translation>没有匹配的变量</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::VariablesPanel</name>
    <message>
        <source>Watch a variable: node.variable, then Enter</source>
        <translation>监视变量：输入 node.variable 后按 Enter</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Watch</source>
        <translation>监视</translation>
    </message>
    <message>
        <source>Show this variable at the top of the list</source>
        <translation>在列表顶部显示此变量</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Change the value (while the run is paused)</source>
        <translation>修改值（运行暂停时）</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Set the value in the paused run (Ctrl+Enter)</source>
        <translation>在已暂停的运行中设置该值（Ctrl+Enter）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Changed by the last step</source>
        <translation>在上一步中被修改</translation>
    </message>
    <message>
        <source>Watched</source>
        <translation>已监视</translation>
    </message>
    <message>
        <source>Variables you watch, kept across runs</source>
        <translation>您监视的变量，跨运行保留</translation>
    </message>
    <message>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <source>System</source>
        <translation>系统变量</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>会话变量</translation>
    </message>
    <message>
        <source>User input</source>
        <translation>用户输入</translation>
    </message>
    <message>
        <source>No variables yet: run the workflow to fill the pool.</source>
        <translation>暂无变量：运行工作流以填充变量池。</translation>
    </message>
    <message>
        <source>No variable selected</source>
        <translation>未选择变量</translation>
    </message>
    <message>
        <source>Values can be edited while the run is paused</source>
        <translation>运行暂停时可以编辑值</translation>
    </message>
    <message>
        <source>Change the value (F2 or double-click)</source>
        <translation>修改值（F2 或双击）</translation>
    </message>
    <message>
        <source>Stop Watching</source>
        <translation>停止监视</translation>
    </message>
    <message>
        <source>Edit Value…</source>
        <translation>编辑值…</translation>
    </message>
    <message>
        <source>Copy Value</source>
        <translation>复制值</translation>
    </message>
    <message>
        <source>Copy Reference</source>
        <translation>复制引用</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>A JSON value</source>
        <translation>JSON 值</translation>
    </message>
    <message>
        <source>Values can be edited only while the run is paused.</source>
        <translation>只有在运行暂停时才能编辑值。</translation>
    </message>
    <message>
        <source>“%1” is not a number.</source>
        <translation>“%1”不是数字。</translation>
    </message>
    <message>
        <source>Type true or false.</source>
        <translation>请输入 true 或 false。</translation>
    </message>
    <message>
        <source>Invalid JSON: %1</source>
        <translation>无效的 JSON：%1</translation>
    </message>
</context>
<context>
    <name>flowbench::panels::WorkflowSettingsDialog</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Workflow Settings</source>
        <translation>工作流设置</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>描述</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <source>Read in the workflow as {{#env.NAME#}}. Secret values are masked and left out of deployment exports.</source>
        <translation>在工作流中以 {{#env.NAME#}} 读取。机密值会被遮盖，并且不会包含在部署导出中。</translation>
    </message>
    <message>
        <source>Environment</source>
        <translation>环境变量</translation>
    </message>
    <message>
        <source>Default value</source>
        <translation>默认值</translation>
    </message>
    <message>
        <source>Kept per conversation; read as {{#conversation.NAME#}}, written by Variable Assigner nodes.</source>
        <translation>按会话分别保存；以 {{#conversation.NAME#}} 读取，由变量赋值节点写入。</translation>
    </message>
    <message>
        <source>Conversation variables exist in chatflows only.</source>
        <translation>会话变量仅存在于对话流中。</translation>
    </message>
    <message>
        <source>Conversation</source>
        <translation>会话变量</translation>
    </message>
    <message>
        <source>Opening statement</source>
        <translation>开场白</translation>
    </message>
    <message>
        <source>One question per line</source>
        <translation>每行一个问题</translation>
    </message>
    <message>
        <source>Suggested questions</source>
        <translation>建议问题</translation>
    </message>
    <message>
        <source>Other features</source>
        <translation>其他功能</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>功能</translation>
    </message>
    <message>
        <source>Chatflow (advanced-chat)</source>
        <translation>对话流（advanced-chat）</translation>
    </message>
    <message>
        <source>Workflow (workflow)</source>
        <translation>工作流（workflow）</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Show the secret value</source>
        <translation>显示机密值</translation>
    </message>
    <message>
        <source>Hide</source>
        <translation>隐藏</translation>
    </message>
    <message>
        <source>Environment variable %1: &quot;%2&quot; is not a valid name (letters, digits and _).</source>
        <translation>环境变量 %1：“%2”不是有效的名称（只能包含字母、数字和 _）。</translation>
    </message>
    <message>
        <source>Two environment variables are named &quot;%1&quot;.</source>
        <translation>有两个环境变量都名为“%1”。</translation>
    </message>
    <message>
        <source>Environment variable &quot;%1&quot;: &quot;%2&quot; is not a number.</source>
        <translation>环境变量“%1”：“%2”不是数字。</translation>
    </message>
    <message>
        <source>Conversation variable %1: &quot;%2&quot; is not a valid name (letters, digits and _).</source>
        <translation>会话变量 %1：“%2”不是有效的名称（只能包含字母、数字和 _）。</translation>
    </message>
    <message>
        <source>Two conversation variables are named &quot;%1&quot;.</source>
        <translation>有两个会话变量都名为“%1”。</translation>
    </message>
    <message>
        <source>Conversation variable &quot;%1&quot;: &quot;%2&quot; is not a valid %3.</source>
        <translation>会话变量“%1”：“%2”不是有效的 %3。</translation>
    </message>
    <message>
        <source>Features: not valid JSON: %1</source>
        <translation>功能：不是有效的 JSON：%1</translation>
    </message>
    <message>
        <source>Features: a JSON object is expected.</source>
        <translation>功能：应为 JSON 对象。</translation>
    </message>
    <message>
        <source>The workflow needs a name.</source>
        <translation>工作流需要名称。</translation>
    </message>
    <message>
        <source>Change workflow settings</source>
        <translation>更改工作流设置</translation>
    </message>
</context>
<context>
    <name>flowbench::runtime::GraphEngine</name>
    <message>
        <source>the workflow cannot run: %1</source>
        <translation>工作流无法运行：%1</translation>
    </message>
    <message>
        <source>no node &apos;%1&apos; to start from</source>
        <translation>找不到作为运行起点的节点 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>the workflow has no start node</source>
        <translation>工作流缺少开始节点</translation>
    </message>
    <message>
        <source>node &apos;%1&apos; (%2) is of a kind Flowbench cannot run</source>
        <translation>节点 &apos;%1&apos;（%2）的类型是 Flowbench 无法运行的</translation>
    </message>
    <message>
        <source>%1 nodes are not available yet: endpoint support arrives with the LLM client (pin this node&apos;s output to run the rest of the workflow)</source>
        <translation>%1 节点暂不可用：端点支持将随 LLM 客户端一同提供（固定此节点的输出即可运行工作流的其余部分）</translation>
    </message>
    <message>
        <source>node kind &apos;%1&apos; cannot run</source>
        <translation>节点类型 &apos;%1&apos; 无法运行</translation>
    </message>
    <message>
        <source>Aborted: Maximum execution steps exceeded: %1 &gt; %2</source>
        <translation>已中止：超过最大执行步数：%1 &gt; %2</translation>
    </message>
    <message>
        <source>iterator %1 is not a list</source>
        <translation>迭代变量 %1 不是列表</translation>
    </message>
    <message>
        <source>the iteration has no start node</source>
        <translation>迭代缺少开始节点</translation>
    </message>
    <message>
        <source>the loop has no start node</source>
        <translation>循环缺少开始节点</translation>
    </message>
    <message>
        <source>Aborted: Maximum execution time exceeded: %1s &gt; %2s</source>
        <translation>已中止：超过最大执行时间：%1s &gt; %2s</translation>
    </message>
    <message>
        <source>stopped by the user</source>
        <translation>已被用户停止</translation>
    </message>
    <message>
        <source>variables can be edited only while paused</source>
        <translation>只有在暂停时才能编辑变量</translation>
    </message>
    <message>
        <source>a variable needs a node and a name</source>
        <translation>变量需要指定节点和名称</translation>
    </message>
    <message>
        <source>%1 holds %2; the new value is %3</source>
        <translation>%1 的类型为 %2，而新值的类型为 %3</translation>
    </message>
    <message>
        <source>breakpoint condition on %1 failed: %2</source>
        <translation>节点 %1 的断点条件求值失败：%2</translation>
    </message>
</context>
<context>
    <name>flowbench::runtime::PythonWorkerPool</name>
    <message>
        <source>Install python3 and python3-jinja2 (scripts/install-deps does).</source>
        <translation>请安装 python3 和 python3-jinja2（可运行 scripts/install-deps 进行安装）。</translation>
    </message>
    <message>
        <source>python3 was not found on PATH.</source>
        <translation>在 PATH 中找不到 python3。</translation>
    </message>
    <message>
        <source>The Python worker script is missing from the build.</source>
        <translation>此构建中缺少 Python 工作进程脚本。</translation>
    </message>
    <message>
        <source>The result is too large (more than %1 MB).</source>
        <translation>结果过大（超过 %1 MB）。</translation>
    </message>
    <message>
        <source>The Python worker crashed.</source>
        <translation>Python 工作进程崩溃了。</translation>
    </message>
    <message>
        <source>The Python worker exited with status %1.</source>
        <translation>Python 工作进程已退出，状态码为 %1。</translation>
    </message>
    <message>
        <source>Python could not be started (%1: %2).</source>
        <translation>无法启动 Python（%1：%2）。</translation>
    </message>
    <message>
        <source>The code ran too long: it exceeded %1 ms.</source>
        <translation>代码运行时间过长：超过了 %1 ms。</translation>
    </message>
</context>
<context>
    <name>flowbench::runtime::SingleNodeRun</name>
    <message>
        <source>node kind &apos;%1&apos; cannot run</source>
        <translation>节点类型 &apos;%1&apos; 无法运行</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>flowbench::serve::DifyServer</name>
    <message>
        <source>refusing to listen on %1 without an API key: give --api-key, or listen on 127.0.0.1</source>
        <translation>拒绝在没有 API 密钥的情况下监听 %1：请提供 --api-key，或监听 127.0.0.1</translation>
    </message>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation>无法监听 %1:%2：%3</translation>
    </message>
</context>
<context>
    <name>flowbench::store::KnowledgeStore</name>
    <message>
        <source>Knowledge store query failed: %1</source>
        <translation>知识库查询失败：%1</translation>
    </message>
    <message>
        <source>Cannot create the folder of %1</source>
        <translation>无法创建 %1 所在的文件夹</translation>
    </message>
    <message>
        <source>Cannot open the knowledge store %1: %2</source>
        <translation>无法打开知识库存储 %1：%2</translation>
    </message>
    <message>
        <source>A knowledge base needs a name.</source>
        <translation>知识库需要名称。</translation>
    </message>
    <message>
        <source>A knowledge base named %1 already exists.</source>
        <translation>名为 %1 的知识库已存在。</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>无法读取 %1：%2</translation>
    </message>
    <message>
        <source>No knowledge base with id %1.</source>
        <translation>没有 ID 为 %1 的知识库。</translation>
    </message>
    <message>
        <source>The embedding endpoint returned %1 vectors for %2 chunks.</source>
        <translation>嵌入端点为 %2 个文本块返回了 %1 个向量。</translation>
    </message>
</context>
<context>
    <name>flowbench::store::RunStore</name>
    <message>
        <source>cannot save the turn of conversation %1</source>
        <translation>无法保存会话 %1 的这一轮</translation>
    </message>
    <message>
        <source>cannot read conversation %1</source>
        <translation>无法读取会话 %1</translation>
    </message>
    <message>
        <source>unknown database error</source>
        <translation>未知的数据库错误</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>cannot open the run store %1</source>
        <translation>无法打开运行记录库 %1</translation>
    </message>
    <message>
        <source>cannot prepare the run store&apos;s queries</source>
        <translation>无法准备运行记录库的查询</translation>
    </message>
    <message>
        <source>the run store is closed</source>
        <translation>运行记录库已关闭</translation>
    </message>
    <message>
        <source>cannot write run %1</source>
        <translation>无法写入运行记录 %1</translation>
    </message>
    <message>
        <source>cannot delete run %1</source>
        <translation>无法删除运行记录 %1</translation>
    </message>
    <message>
        <source>there is no recorded run &apos;%1&apos;</source>
        <translation>不存在已记录的运行 &apos;%1&apos;</translation>
    </message>
    <message>
        <source>the Qt SQLite driver is not installed (libqt6sql6-sqlite)</source>
        <translation>未安装 Qt SQLite 驱动（libqt6sql6-sqlite）</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>无法创建文件夹 %1</translation>
    </message>
    <message>
        <source>%1 is not a Flowbench run store or is damaged</source>
        <translation>%1 不是 Flowbench 运行记录库，或已损坏</translation>
    </message>
    <message>
        <source>%1 was written by a newer Flowbench (run store schema version %2; this version reads up to %3)</source>
        <translation>%1 由更新版本的 Flowbench 写入（运行记录库架构版本为 %2；当前版本最高只能读取版本 %3）</translation>
    </message>
    <message>
        <source>%1 is damaged</source>
        <translation>%1 已损坏</translation>
    </message>
    <message>
        <source>cannot use the run store %1</source>
        <translation>无法使用运行记录库 %1</translation>
    </message>
    <message>
        <source>cannot create the run store %1</source>
        <translation>无法创建运行记录库 %1</translation>
    </message>
    <message>
        <source>the run ended without finishing (its engine was destroyed)</source>
        <translation>运行未完成即已结束（其引擎已被销毁）</translation>
    </message>
    <message>
        <source>cannot read run %1</source>
        <translation>无法读取运行记录 %1</translation>
    </message>
    <message>
        <source>run %1 is still being recorded</source>
        <translation>运行 %1 仍在记录中</translation>
    </message>
    <message>
        <source>run %1 has no workflow snapshot</source>
        <translation>运行 %1 没有工作流快照</translation>
    </message>
    <message>
        <source>the recording has no result for this node (the run ended while it ran)</source>
        <translation>记录中没有此节点的结果（该节点执行期间运行已结束）</translation>
    </message>
    <message>
        <source>cannot save usage records</source>
        <translation>无法保存用量记录</translation>
    </message>
    <message>
        <source>cannot read usage records</source>
        <translation>无法读取用量记录</translation>
    </message>
</context>
</TS>
