"""Chinese for the messages of zonescore serve (scoring.web, cli_commands/serve.py)."""
ZH: dict[str, str] = {
    # --- the command and its options ---
    "Tune the weights together in a browser.": "在浏览器中共同调整权重。",
    "Start a local web page to tune the weights: sliders for every weight, the ranking, who enters and\n"
    "leaves each outcome, explanations and robustness, all computed by the same functions as whatif.":
        "启动本机网页调整权重：每个权重一个滑块，显示排名、各考核结果的进入与退出名单、得分说明和稳健性，"
        "全部由与 whatif 相同的函数计算。",
    "Address to listen on; any address other than this computer's own needs --token.":
        "监听地址；本机以外的地址需要 --token。",
    "Port to listen on (0: any free port).": "监听端口（0：任一空闲端口）。",
    "Access token every request must carry [default: none on 127.0.0.1, else a generated one].":
        "每个请求必须携带的访问令牌［默认：127.0.0.1 上不需要，其他地址自动生成］。",
    "Do not open the page in the default browser.": "不在默认浏览器中打开网页。",
    "Listening on {host}: every request needs the access token {token}": "监听 {host}：每个请求都需要访问令牌 {token}",
    "Cannot listen on {host}:{port}": "无法监听 {host}:{port}",
    "a free port (or --port 0 for any)": "空闲端口（或用 --port 0 任选一个）",
    "Serving the tuning page at {address} (Ctrl+C stops)": "权重调整网页地址 {address}（按 Ctrl+C 停止）",
    # --- refused requests ---
    "Access refused": "拒绝访问",
    "this server needs its access token": "此服务需要访问令牌",
    "this server answers only to its own address": "此服务只接受发往其本机地址的请求",
    "the address zonescore serve printed, with ?token=...": "zonescore serve 显示的地址（带 ?token=...）",
    "Request too large": "请求过大",
    "the request body is larger than the server takes": "请求内容超过服务接受的大小",
    "{count} bytes": "{count} 字节",
    "at most {count} bytes": "最多 {count} 字节",
    "Invalid request": "请求无效",
    "not what this request takes": "此请求不接受该内容",
    "the body is not JSON": "请求内容不是 JSON",
    "Internal error": "内部错误",
    "zonescore could not answer this request; please report it": "zonescore 无法回答此请求，请报告此问题",
    "Not found": "未找到",
    "the server did not start": "服务未能启动",
    "no such file": "文件不存在",
    "Invalid --format option": "--format 选项无效",
    "unknown format": "未知格式",
    "Invalid --draws option": "--draws 选项无效",
    "Invalid --keep-total option": "--keep-total 选项无效",
    "this version of zonescore whatif cannot keep the full score": "此版本的 zonescore whatif 不能保持满分不变",
    "the weights without --keep-total": "不带 --keep-total 的权重",
    "too many draws for one request of the page": "网页单次请求的抽样次数过多",
    "at most {count} (use zonescore robustness for more)": "最多 {count}（更多请用 zonescore robustness）",
    "The tuned rule file does not carry the weights asked for": "调整后的规则文件与所要求的权重不符",
    "weight differs after editing the rule file": "修改规则文件后权重不一致",
    "The rule file changed since zonescore serve read it: {path}": "zonescore serve 读取规则文件后该文件已被修改：{path}",
    "the file differs from the one the page shows": "文件与网页所显示的不同",
    "restart zonescore serve to tune the file as it is now": "重新启动 zonescore serve 以调整当前的文件",
}
