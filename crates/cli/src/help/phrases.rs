//! The words of the help, in both languages: one row per command, argument, value and section
//! (`id`, English, Traditional Chinese). Texts are written like doc comments: the first paragraph
//! is the summary (`-h`, command lists; a final full stop is dropped), the whole text the long
//! help (`--help`) when there is more than one paragraph.
//!
//! Ids: a command is its path (`volact`, `explain`, `key check`); `<command>#after` is the text
//! after its options and `volact#about` the top-level summary; an argument is
//! `<command>/<argument id>`, or the argument id alone when every command means the same
//! (`format`); a value is `<argument>=<value>` (`format=json`, `doctor/format=ndjson`); `clap#...`
//! and `man#...` are the words clap and clap_mangen print themselves (English given for
//! reference: in English, theirs are used).

/// `(id, English, Traditional Chinese)`.
pub(super) type Phrase = (&'static str, &'static str, &'static str);

#[rustfmt::skip]
pub(super) static PHRASES: &[Phrase] = &[
    // The frame clap draws around the help.
    ("clap#usage", "Usage:", "用法："),
    ("clap#commands", "Commands:", "命令："),
    ("clap#arguments", "Arguments:", "引數："),
    ("clap#options", "Options:", "選項："),
    ("clap#default", "default: ", "預設："),
    ("clap#values", "possible values: ", "可用的值："),
    ("clap#aliases", "aliases: ", "別名："),
    ("clap#values-long", "Possible values:", "可用的值："),
    ("clap#help", "Print help", "顯示說明"),
    ("clap#help-short", "Print help (see more with '--help')", "顯示說明（--help 可看完整說明）"),
    ("clap#help-long", "Print help (see a summary with '-h')", "顯示說明（-h 只看摘要）"),
    ("clap#version", "Print version", "顯示版本"),
    ("clap#help-command", "Print this message or the help of the given subcommand(s)", "顯示此說明，或指定子命令的說明"),
    ("clap#help-command/subcommand", "Print help for the subcommand(s)", "要顯示說明的子命令"),
    // Section headings of the man page (clap_mangen's).
    ("man#NAME", "NAME", "名稱"),
    ("man#SYNOPSIS", "SYNOPSIS", "用法"),
    ("man#DESCRIPTION", "DESCRIPTION", "說明"),
    ("man#OPTIONS", "OPTIONS", "選項"),
    ("man#SUBCOMMANDS", "SUBCOMMANDS", "子命令"),
    ("man#EXTRA", "EXTRA", "補充說明"),
    ("man#VERSION", "VERSION", "版本"),

    // volact
    ("volact#about", "Explain and diagnose Windows volume activation (MAK and KMS) errors",
     "說明並診斷 Windows 大量授權啟用（MAK 與 KMS）錯誤"),
    ("volact", "Explain and diagnose Windows volume activation (MAK and KMS) errors, in English and 繁體中文.\n\nvolact diagnoses; it never activates Windows, never sends a KMS activation request and never stores product keys.",
     "以英文與繁體中文說明並診斷 Windows 大量授權啟用（MAK 與 KMS）錯誤。\n\nvolact 只做診斷：絕不啟用 Windows、絕不送出 KMS 啟用要求，也絕不儲存產品金鑰。"),
    ("lang", "Language of the output: en or zh-TW (default: from VOLACT_LANG or the system locale).",
     "輸出語言：en 或 zh-TW（預設依 VOLACT_LANG 或系統的地區設定）。"),
    ("color", "When to use colours in text output.", "文字輸出何時使用色彩。"),
    ("color=auto", "Colours when writing to a terminal and NO_COLOR is unset.", "輸出到終端機且未設定 NO_COLOR 時使用色彩。"),
    ("color=always", "Always colour.", "一律使用色彩。"),
    ("color=never", "Never colour.", "一律不使用色彩。"),
    ("format", "Output format.", "輸出格式。"),
    ("format=text", "Readable text.", "易讀的文字。"),
    ("format=json", "One JSON document.", "單一 JSON 文件。"),
    ("format=ndjson", "One JSON object per line.", "每行一個 JSON 物件。"),
    ("format=csv", "Comma-separated values, one row per item.", "逗號分隔值（CSV），每個項目一列。"),
    ("format=markdown", "Markdown, for tickets and wikis.", "Markdown，適合貼到工單與 Wiki。"),

    // explain, list, search
    ("explain", "Explain error codes given in any form, or found in pasted text (\"-\" reads standard input).\n\nAccepts 0xC004F074, C004F074, c004f074, -1073418124, 3221549172, small Win32 numbers such as 1722, symbolic names such as SL_E_VL_INVALID_TIMESTAMP or ERROR_ACCESS_DENIED, and free text: dialogs in English or Chinese, slmgr output, log lines, hr=0x... fields.",
     "說明以任何形式提供的錯誤代碼，或從貼上的文字中找出代碼並說明（\"-\" 讀取標準輸入）。\n\n接受 0xC004F074、C004F074、c004f074、-1073418124、3221549172、1722 這類較小的 Win32 數值、SL_E_VL_INVALID_TIMESTAMP 或 ERROR_ACCESS_DENIED 這類符號名稱，以及任意文字：英文或中文的對話方塊訊息、slmgr 輸出、記錄檔內容、hr=0x... 欄位。"),
    ("explain/inputs", "Codes or text to explain; \"-\" reads standard input (UTF-8 or UTF-16).",
     "要說明的代碼或文字；\"-\" 讀取標準輸入（UTF-8 或 UTF-16）。"),
    ("list", "List the knowledge base, optionally only one activation type.", "列出知識庫，可只列出某一種啟用類型。"),
    ("list/ty", "Only entries of this activation type.", "只列出此啟用類型的項目。"),
    ("search", "Search the knowledge base in English and Traditional Chinese (e.g. DNS, 1688, 寬限期).",
     "以英文或繁體中文搜尋知識庫（例如 DNS、1688、寬限期）。"),
    ("search/words", "Words that must all occur in an entry (either language).", "項目中必須全部出現的字詞（中英文皆可）。"),

    // scan
    ("scan", "Find and explain activation codes, slmgr snapshots and event text in files, folders or stdin.",
     "在檔案、資料夾或標準輸入中找出並說明啟用代碼、slmgr 快照與事件文字。"),
    ("scan/inputs", "Files or directories to scan; \"-\" reads standard input (default when it is not a terminal).",
     "要掃描的檔案或資料夾；\"-\" 讀取標準輸入（標準輸入不是終端機時的預設）。"),
    ("scan/glob", "Only files (found in directories) matching this glob; \"!GLOB\" excludes. Repeatable.",
     "只掃描（資料夾中）符合此萬用字元樣式的檔案；\"!GLOB\" 表示排除。可重複指定。"),
    ("scan/all_codes", "Also list the hex values no table knows that stand outside an error context (handles, flags, hashes); by default they are only counted, in one line. They come last and never change the exit code.",
     "一併列出沒有任何表格認得、且不在錯誤上下文中的十六進位值（控制代碼、旗標、雜湊值）；預設只在一行中計數。它們排在最後，也不影響結束代碼。"),
    ("scan/binary", "Scan files that look binary (NUL bytes) instead of skipping them.",
     "掃描看似二進位（含 NUL 位元組）的檔案，而不是略過。"),
    ("scan/max_matches", "Most matches listed in detail (all are counted in the summary); 0 lists all.",
     "詳細列出的相符項目上限（摘要會計入全部）；0 表示全部列出。"),
    ("scan/context", "Characters of context shown on each side of a match.", "相符項目前後各顯示的字元數。"),
    ("scan/threads", "Threads scanning files in parallel (0: one per CPU).", "平行掃描檔案的執行緒數（0：每個 CPU 一個）。"),

    // events
    ("events", "Read KMS client and host event logs (.evtx, XML, text) into client and host reports.",
     "讀取 KMS 用戶端與主機的事件記錄（.evtx、XML、文字），產生用戶端與主機報告。"),
    ("events/inputs", "Files, folders, or - for standard input.", "檔案、資料夾，或以 - 讀取標準輸入。"),
    ("events/since", "Only events logged at or after this time.", "只取此時間（含）之後記錄的事件。"),
    ("events/until", "Only events logged at or before this time.", "只取此時間（含）之前記錄的事件。"),
    ("events/now", "\"Now\" for the count the host would have (default: the newest host event).",
     "推算主機計數時當作「現在」的時間（預設：最新的主機事件）。"),
    ("events/client", "Only this client: its name, short name (before the first dot) or CMID.",
     "只看此用戶端：名稱、短名稱（第一個點之前的部分）或 CMID。"),
    ("events/clients_csv", "Also write the per-client table of the host view as CSV to this file.",
     "另將主機檢視中的各用戶端表格以 CSV 寫入此檔案。"),

    // doctor
    ("doctor", "Check KMS discovery (DNS SRV), TCP 1688, the KMS RPC interface and the clock, for one host or a fleet.",
     "檢查 KMS 探索（DNS SRV）、TCP 1688、KMS RPC 介面與時鐘，可針對單一主機或整批主機。"),
    ("doctor/domains", "Domain whose _vlmcs._tcp SRV records to look up (repeatable). Default: the system's DNS suffix search list, when no host is given.",
     "要查詢 _vlmcs._tcp SRV 記錄的網域（可重複指定）。預設：未指定主機時，使用系統的 DNS 尾碼搜尋清單。"),
    ("doctor/kms", "KMS host to check directly: HOST or HOST:PORT (port 1688 unless given; repeatable).",
     "直接檢查的 KMS 主機：HOST 或 HOST:PORT（未指定連接埠時為 1688；可重複指定）。"),
    ("doctor/dns_server", "Ask this DNS server instead of the system's: IP or IP:PORT (an IPv6 address in brackets before :PORT).",
     "改向此 DNS 伺服器查詢，而不用系統設定的伺服器：IP 或 IP:PORT（IPv6 位址加 :PORT 時請以方括號括住位址）。"),
    ("doctor/time_servers", "SNTP time source: HOST or HOST:PORT (port 123 unless given; repeatable). Default: each KMS host, else the domain.",
     "SNTP 時間來源：HOST 或 HOST:PORT（未指定連接埠時為 123；可重複指定）。預設：各 KMS 主機，否則為網域。"),
    ("doctor/hosts_file", "File with one HOST or HOST:PORT per line (blank lines and # comments ignored); \"-\" reads standard input.",
     "每行一個 HOST 或 HOST:PORT 的檔案（略過空白行與 # 註解）；\"-\" 讀取標準輸入。"),
    ("doctor/timeout", "Timeout of each stage: 500ms, 3s, 1m, or plain seconds.", "每個階段的逾時：500ms、3s、1m，或直接寫秒數。"),
    ("doctor/concurrency", "Hosts probed at once.", "同時探測的主機數。"),
    ("doctor/max_hosts", "Probe at most N hosts in all (given and discovered by SRV together); the rest are listed as not probed. Default: no limit.",
     "總共最多探測 N 台主機（指定的與經 SRV 探索到的合計）；其餘列為未探測。預設：不限制。"),
    ("doctor/explain", "Run only the checks that this code's knowledge-base entry names (e.g. 0xC004F074).",
     "只執行此代碼的知識庫項目所列的檢查（例如 0xC004F074）。"),
    ("doctor/clock_warn", "Clock offset above which a warning is given (KMS itself fails above 4 hours).",
     "時鐘偏差超過此值時發出警告（超過 4 小時 KMS 本身就會失敗）。"),
    ("doctor/format=ndjson", "One JSON object per line: discovery, each host, clock, summary.",
     "每行一個 JSON 物件：探索、各主機、時鐘、摘要。"),
    ("doctor/resolv_conf", "Read the DNS servers and search list from this resolv.conf-format file instead of the system's (for tests and unusual setups).",
     "從此 resolv.conf 格式的檔案讀取 DNS 伺服器與搜尋清單，而不用系統設定（供測試與特殊環境使用）。"),
    ("doctor/ntp_port", "The SNTP port used when asking KMS hosts or the domain (for tests).",
     "向 KMS 主機或網域查詢時間時使用的 SNTP 連接埠（供測試使用）。"),

    // collect, analyze
    ("collect", "Gather this Windows machine's activation evidence into one zip bundle (changes nothing).",
     "將這台 Windows 電腦的授權啟用證據收集成一個 zip 資料包（不做任何變更）。"),
    ("collect/out", "Where to write the bundle. Default: volact-COMPUTERNAME-YYYYMMDD-HHMMSS.zip (UTC) in the current folder, or on the desktop when that is inside the Windows folder (as in an elevated prompt).",
     "資料包的寫入位置。預設：目前資料夾中的 volact-COMPUTERNAME-YYYYMMDD-HHMMSS.zip（UTC）；若目前資料夾位於 Windows 資料夾內（例如以系統管理員身分開啟的命令提示字元），則寫到桌面。"),
    ("collect/replay", "Build the bundle from a recording (a folder with recording.json and the outputs it names) instead of reading this machine. Works on any OS; used by tests and to re-package outputs captured by hand.",
     "從錄製內容（含 recording.json 及其所列輸出的資料夾）建立資料包，而不讀取這台電腦。可在任何作業系統上執行；供測試使用，也可用來重新封裝手動擷取的輸出。"),
    ("analyze", "Analyse a bundle written by `volact collect`, on any operating system.",
     "分析 `volact collect` 寫出的資料包，可在任何作業系統上執行。"),
    ("analyze/bundle", "The bundle written by `volact collect`.", "`volact collect` 寫出的資料包。"),

    // serve
    ("serve", "Serve the JSON API and the help-desk web page (loopback only unless told otherwise).",
     "提供 JSON API 與服務台網頁（除非另行指定，只在回送位址上接聽）。"),
    ("serve/listen", "Address to listen on (loopback unless told otherwise; port 0 picks a free port).",
     "接聽位址（除非另行指定，否則為回送位址；連接埠 0 表示自動挑選可用的連接埠）。"),
    ("serve/allow_doctor", "Allow `POST /api/v1/doctor` to run network checks (DNS, TCP, RPC bind, SNTP) from this machine to the hosts a request names.",
     "允許 `POST /api/v1/doctor` 從這台電腦對請求中指定的主機執行網路檢查（DNS、TCP、RPC bind、SNTP）。"),
    ("serve/quiet", "No access log on standard error.", "不在標準錯誤輸出存取記錄。"),
    ("serve/max_upload", "Largest event log accepted by `POST /api/v1/events`, in MiB.",
     "`POST /api/v1/events` 接受的事件記錄大小上限（MiB）。"),
    ("serve/max_heavy", "Analyses (analyze, events, doctor) running at once (0: twice the CPUs).",
     "可同時執行的分析工作數（analyze、events、doctor；0：CPU 數的兩倍）。"),
    ("serve/allow_host", "Another host name the Host header may give (a reverse proxy's, or this machine's DNS name); repeatable. Without it only the listen address (and localhost on loopback) is answered, against DNS rebinding.",
     "Host 標頭可使用的其他主機名稱（反向 Proxy 的名稱，或這台電腦的 DNS 名稱）；可重複指定。未指定時只回應接聽位址（在回送位址上另含 localhost），以防範 DNS 重新繫結攻擊。"),

    // key, completions, man
    ("key", "Product-key tools.", "產品金鑰工具。"),
    ("key check", "Check the shape of a product key read from standard input; prints only its last 5 characters.\n\nFinds wrong dashes (en dash, em dash, full-width), spaces, lower case, full-width characters and characters never used in keys. Related codes: 0xC004F050, 0x80070490.",
     "檢查從標準輸入讀取的產品金鑰格式；只會顯示最後 5 個字元。\n\n可找出錯誤的連字號（en dash、em dash、全形）、空格、小寫字母、全形字元，以及金鑰中從不使用的字元。相關代碼：0xC004F050、0x80070490。"),
    ("key check/key", "The key. Prefer standard input: a key on the command line can end up in shell history.",
     "金鑰。建議由標準輸入提供：寫在命令列上的金鑰可能會留在 shell 的歷程記錄中。"),
    ("completions", "Print a shell completion script.", "輸出 shell 自動完成指令碼。"),
    ("completions/shell", "The shell to generate for.", "要產生指令碼的 shell。"),
    ("man", "Print the man page (roff), or write man pages for every command into a directory.",
     "輸出 man 說明頁（roff），或將每個命令的 man 說明頁寫入資料夾。"),
    ("man/out_dir", "Write volact.1 and one page per subcommand into this directory instead of printing.",
     "將 volact.1 及每個子命令各一頁寫入此資料夾，而不是直接輸出。"),

    // The text after the options.
    (
        "volact#after",
        "\
Exit codes:
  0  every code found is in the knowledge base (explain), entries found (search), key exact (key check)
  1  something needs attention: a code volact cannot fully explain, no search hit, a key with problems
  2  usage error (bad arguments)
  3  no error code found in the input
  4  input could not be read (I/O error)

Environment: VOLACT_LANG, LC_ALL, LC_MESSAGES, LANG pick the default language; NO_COLOR turns colours off.",
        "\
結束代碼：
  0  找到的每個代碼都在知識庫中（explain）、找到項目（search）、金鑰完全正確（key check）
  1  有需要注意的地方：volact 無法完整說明的代碼、搜尋沒有結果、金鑰有問題
  2  用法錯誤（引數不正確）
  3  輸入中找不到錯誤代碼
  4  無法讀取輸入（I/O 錯誤）

環境變數：VOLACT_LANG、LC_ALL、LC_MESSAGES、LANG 決定預設語言；設定 NO_COLOR 可關閉色彩。",
    ),
    (
        "scan#after",
        "\
Exit codes:
  0  evidence found, every failure code is in the knowledge base and no snapshot needs attention
  1  something needs attention: a failure code volact cannot fully explain, a failing diagnosis,
     or Windows event logs (.evtx) that scan skipped: volact events PATH reads them
  2  usage error (bad arguments, invalid glob)
  3  nothing found: no code, slmgr output or event in the inputs
  4  an input could not be read (the others are still reported)

Examples:
  volact scan logs/                        every file under logs/, recursively
  volact scan -g '*.log' -g '!old/**' logs/
  cscript //nologo slmgr.vbs /dlv | volact scan -
  volact scan --format json logs/ > report.json",
        "\
結束代碼：
  0  找到證據，每個失敗代碼都在知識庫中，且沒有需要注意的快照
  1  有需要注意的地方：volact 無法完整說明的失敗代碼、診斷結果為失敗，
     或 scan 略過的 Windows 事件記錄檔（.evtx）：請用 volact events PATH 讀取
  2  用法錯誤（引數不正確、萬用字元樣式無效）
  3  什麼都沒找到：輸入中沒有代碼、slmgr 輸出或事件
  4  有輸入無法讀取（其餘輸入仍會列入報告）

範例：
  volact scan logs/                        logs/ 底下的每個檔案（含子資料夾）
  volact scan -g '*.log' -g '!old/**' logs/
  cscript //nologo slmgr.vbs /dlv | volact scan -
  volact scan --format json logs/ > report.json",
    ),
    (
        "events#after",
        "\
Inputs are recognised by content: .evtx logs (the client's Application log, the host's
\"Key Management Service\" log), event XML (wevtutil qe ... /f:xml, Event Viewer \"Save as XML\"
or its XML View pasted), JSON (evtx_dump, EvtxECmd, hayabusa, Wazuh, PowerShell), EvtxECmd
CSV, and text (Event Viewer copies and wevtutil /f:text in any language, support-article
blocks, bare Info lines). Fields hidden as <CMID> or xxxx are read as absent and counted.
UTF-8 and UTF-16 are both read. Directories are read recursively.

Times (--since, --until, --now): 2026-11-24, 2026-11-24T14:00:00Z, 2026/11/24 14:00. A date alone
in --until means the end of that day. Times without a zone are compared as UTC.

Exit codes:
  0  activation events found, nothing needs attention
  1  something needs attention: failed or unanswered requests, error codes, clock skew, cloned
     CMIDs, a count below the threshold, DNS publishing failures, damaged input
  2  usage error
  3  no activation event found in the inputs
  4  no input could be read, or --clients-csv could not be written",
        "\
輸入依內容辨識：.evtx 記錄（用戶端的「應用程式」記錄、主機的
\"Key Management Service\" 記錄）、事件 XML（wevtutil qe ... /f:xml、事件檢視器「另存為 XML」
或貼上的 XML 檢視）、JSON（evtx_dump、EvtxECmd、hayabusa、Wazuh、PowerShell）、EvtxECmd CSV，
以及文字（任何語言的事件檢視器複本與 wevtutil /f:text、支援文章中的區塊、單獨的 Info 行）。
以 <CMID> 或 xxxx 遮住的欄位視為缺少並另行計數。UTF-8 與 UTF-16 都能讀取。
資料夾會連同子資料夾一起讀取。

時間（--since、--until、--now）：2026-11-24、2026-11-24T14:00:00Z、2026/11/24 14:00。--until
只寫日期時表示當天結束。未帶時區的時間一律當作 UTC 比較。

結束代碼：
  0  找到啟用事件，沒有需要注意的地方
  1  有需要注意的地方：要求失敗或沒有回應、錯誤代碼、時鐘偏差、重複的
     CMID（映像複製）、計數低於門檻、DNS 發布失敗、輸入損毀
  2  用法錯誤
  3  輸入中找不到啟用事件
  4  沒有任何輸入可讀取，或無法寫入 --clients-csv",
    ),
    (
        "doctor#after",
        "\
Stages, in the order a KMS client walks them:
  dns    SRV _vlmcs._tcp.<domain> for each --domain, else each suffix of the system's search list;
         then the A/AAAA addresses of every host
  tcp    a TCP connection to HOST:PORT (1688 unless given)
  rpc    one DCE/RPC bind to the KMS interface, then the connection is closed: volact never sends
         an activation request, so no KMS host counts or activates anything because of it
  clock  SNTP to --time-server, else to each KMS host, else to the domain; more than 4 hours
         apart fails KMS (0xC004F06C), more than --clock-warn (5 minutes) warns

Exit codes:
  0  every check passed (warnings may be printed)
  1  attention: a blocking stage failed, or a check could not be decided (no time source answered,
     no domain to search)
  2  usage error (bad arguments; --explain with a code that names no doctor checks)
  3  the hosts file holds no host
  4  the hosts file could not be read

Examples:
  volact doctor --domain contoso.com
  volact doctor --kms kms1.contoso.com --time-server dc1.contoso.com
  volact doctor --explain 0xC004F074 --domain contoso.com
  volact doctor --hosts-file fleet.txt --timeout 2s --format ndjson > fleet.ndjson",
        "\
檢查階段（依 KMS 用戶端實際經過的順序）：
  dns    對每個 --domain 查詢 SRV _vlmcs._tcp.<網域>，否則查詢系統搜尋清單中的每個尾碼；
         再查詢每台主機的 A/AAAA 位址
  tcp    以 TCP 連線到 HOST:PORT（未指定時為 1688）
  rpc    對 KMS 介面做一次 DCE/RPC bind，隨即關閉連線：volact 絕不送出啟用要求，
         所以不會有任何 KMS 主機因此計數或啟用任何東西
  clock  以 SNTP 詢問 --time-server，否則詢問各 KMS 主機，否則詢問網域；相差超過 4 小時
         KMS 就會失敗（0xC004F06C），超過 --clock-warn（5 分鐘）則發出警告

結束代碼：
  0  所有檢查都通過（仍可能顯示警告）
  1  需要注意：有會阻擋啟用的階段失敗，或有檢查無法判定（沒有時間來源回應、
     沒有可搜尋的網域）
  2  用法錯誤（引數不正確；--explain 指定的代碼沒有對應的 doctor 檢查）
  3  主機清單檔案中沒有任何主機
  4  無法讀取主機清單檔案

範例：
  volact doctor --domain contoso.com
  volact doctor --kms kms1.contoso.com --time-server dc1.contoso.com
  volact doctor --explain 0xC004F074 --domain contoso.com
  volact doctor --hosts-file fleet.txt --timeout 2s --format ndjson > fleet.ndjson",
    ),
    (
        "collect#after",
        "\
What runs (read-only; nothing on the machine is changed):
  cscript //nologo //U slmgr.vbs /dlv all          license and KMS client/host details
  wevtutil epl Application (Security-SPP events)   client events 8198, 12288, 12289, ...
  wevtutil epl \"Key Management Service\"            KMS host events 12290 (KMS hosts only)
  registry reads                                   SoftwareProtectionPlatform, DNS client, W32Time
  w32tm /query /status, ipconfig /all              time source, DNS servers and suffixes
Product keys are masked to their last five characters before anything is written.
Run from an elevated prompt only if a step reports access denied (the event-log export and the
NetworkService registry copy may need it).

Exit codes:
  0  bundle written, every step ran (or did not apply)
  1  bundle written, but some steps failed (see the list; the bundle says why)
  2  usage error, or not running on Windows (use `volact analyze` on other systems)
  4  the bundle could not be written (or the --replay recording could not be read)",
        "\
會執行的項目（唯讀；不會變更電腦上的任何設定）：
  cscript //nologo //U slmgr.vbs /dlv all          授權與 KMS 用戶端／主機的詳細資料
  wevtutil epl Application (Security-SPP events)   用戶端事件 8198、12288、12289 等
  wevtutil epl \"Key Management Service\"            KMS 主機事件 12290（僅限 KMS 主機）
  讀取登錄                                         SoftwareProtectionPlatform、DNS 用戶端、W32Time
  w32tm /query /status, ipconfig /all              時間來源、DNS 伺服器與尾碼
產品金鑰在寫入任何內容之前，都會遮蔽到只剩最後五個字元。
只有在某個步驟回報存取被拒時，才需要以系統管理員身分執行（匯出事件記錄與複製
NetworkService 登錄可能需要此權限）。

結束代碼：
  0  已寫入資料包，每個步驟都已執行（或不適用）
  1  已寫入資料包，但有些步驟失敗（見清單；資料包中記有原因）
  2  用法錯誤，或不是在 Windows 上執行（其他系統請用 `volact analyze`）
  4  無法寫入資料包（或無法讀取 --replay 的錄製內容）",
    ),
    (
        "analyze#after",
        "\
Analysis is offline: it lists the checks `volact doctor` would run from that machine, it does not
run them.

Exit codes:
  0  nothing wrong found
  1  something needs attention (errors or warnings in the findings)
  3  the bundle holds no evidence files
  4  the bundle could not be read (missing, not a zip, not a volact bundle, newer format)",
        "\
分析是離線進行的：它會列出 `volact doctor` 在那台電腦上會執行的檢查，但不會實際執行。

結束代碼：
  0  沒有發現問題
  1  有需要注意的地方（發現事項中有錯誤或警告）
  3  資料包中沒有任何證據檔案
  4  無法讀取資料包（不存在、不是 zip、不是 volact 資料包、格式較新）",
    ),
    (
        "serve#after",
        "\
The page is at http://ADDRESS/ and the API under /api/v1 (described by /api/openapi.json; see
docs/serve.md). With port 0 the system picks a free port. Once listening, the server prints
\"volact: listening on http://ADDRESS/\" on standard error, then one access-log line per request
(time, method, path with product keys masked, status, bytes, milliseconds; never a body) unless
--quiet is given. Nothing uploaded is written to disk.

Limits: 1 MiB for pasted text, --max-upload for event logs; at most --max-heavy analyses at once
(more wait 2 s, then get 503 with Retry-After); 10 s to send the request headers, 30 s to send a
body, 120 s for a whole request; a client that stops reading its answer for 10 s (or takes more
than 60 s) is disconnected. The Host header must name the listen address (or localhost on
loopback) or a name given with --allow-host; anything else gets 421.

Exit codes:
  0  stopped by Ctrl-C (or SIGTERM) after finishing the requests in flight
  2  usage error
  4  the address could not be bound (in use, or not allowed)

Examples:
  volact serve                                   http://127.0.0.1:8080/
  volact serve --listen 127.0.0.1:0 --quiet      any free port, no access log
  volact serve --listen 0.0.0.0:8080 --allow-doctor",
        "\
網頁位於 http://ADDRESS/，API 位於 /api/v1 之下（說明見 /api/openapi.json；另見
docs/serve.md）。連接埠為 0 時由系統挑選可用的連接埠。開始接聽後，伺服器會在標準錯誤
輸出 \"volact: listening on http://ADDRESS/\"，之後每個請求輸出一行存取記錄（時間、方法、
已遮蔽產品金鑰的路徑、狀態、位元組數、毫秒數；絕不記錄本文），除非指定 --quiet。
上傳的內容都不會寫入磁碟。

限制：貼上的文字 1 MiB，事件記錄依 --max-upload；同時最多 --max-heavy 個分析（其餘的
等候 2 秒後收到 503 與 Retry-After）；送出請求標頭限 10 秒，送出本文限 30 秒，整個請求
限 120 秒；用戶端停止讀取回應達 10 秒（或總共超過 60 秒）即中斷連線。Host 標頭必須是
接聽位址（在回送位址上也可以是 localhost）或以 --allow-host 指定的名稱；其他一律回應 421。

結束代碼：
  0  收到 Ctrl-C（或 SIGTERM），處理完進行中的請求後停止
  2  用法錯誤
  4  無法繫結位址（已被使用或不允許）

範例：
  volact serve                                   http://127.0.0.1:8080/
  volact serve --listen 127.0.0.1:0 --quiet      任一可用的連接埠，不輸出存取記錄
  volact serve --listen 0.0.0.0:8080 --allow-doctor",
    ),
    // products
    ("products", "List or search the Windows and Office volume products (Activation IDs, KMS counts, GVLKs, host keys).\n\nEach row is a KMS client edition of Windows, Windows Server or Office with its Activation ID, the KMS count its host needs (25 or 5), its KMS client setup key (GVLK) and the host keys (CSVLK groups) that activate it, with the updates a host needs first.\n\nSearch by words of a name (\"LTSC 2019\", \"Visio 2024\"), by an Activation ID (as slmgr /dlv or event 12288 shows it), by a whole GVLK or by its last five characters (as slmgr /dli shows a partial key). GVLKs are published by Microsoft for KMS clients, so --gvlk shows them whole; every other key volact meets stays masked.",
     "列出或搜尋 Windows 與 Office 大量授權產品（啟用識別碼、KMS 計數、GVLK、主機金鑰）。\n\n每一列是 Windows、Windows Server 或 Office 的一個 KMS 用戶端版本，含啟用識別碼（Activation ID）、主機需要的 KMS 計數（25 或 5）、KMS 用戶端安裝金鑰（GVLK），以及可啟用它的主機金鑰（CSVLK 群組）與主機需先安裝的更新。\n\n可依名稱中的字詞（\"LTSC 2019\"、\"Visio 2024\"）、啟用識別碼（slmgr /dlv 或事件 12288 顯示的形式）、完整的 GVLK 或其最後五個字元（slmgr /dli 顯示的部分金鑰）搜尋。GVLK 是 Microsoft 為 KMS 用戶端公開的金鑰，因此 --gvlk 會完整顯示；volact 遇到的其他金鑰一律遮蔽。"),
    ("products/query", "Words of a product name, an Activation ID (of an edition, or of a KMS host key: the products it activates), a GVLK or its last five characters; none lists every product.",
     "產品名稱中的字詞、啟用識別碼（版本的，或 KMS 主機金鑰的：列出它可啟用的產品）、GVLK 或其最後五個字元；不指定則列出所有產品。"),
    ("products/gvlk", "Show the whole KMS client setup key (GVLK) of each product (Microsoft publishes them).",
     "顯示每個產品完整的 KMS 用戶端安裝金鑰（GVLK；由 Microsoft 公開）。"),
    ("products/family", "Only this family: windows (client, KMS count 25), server or office (count 5).",
     "只列出此類產品：windows（用戶端，KMS 計數 25）、server 或 office（計數 5）。"),
    (
        "products#after",
        "\
Exit codes:
  0  products found
  1  no product matches the search
  2  usage error (bad arguments)

Examples:
  volact products                                        every product
  volact products \"LTSC 2019\" --gvlk                     the edition and its setup key
  volact products 2d5a5a60-3040-48bf-beb0-fcd770c20ce0   an Activation ID from slmgr /dlv
  volact products WFG99                                  the last five characters from slmgr /dli
  volact products --family office --format csv",
        "\
結束代碼：
  0  找到產品
  1  沒有符合搜尋的產品
  2  用法錯誤（引數不正確）

範例：
  volact products                                        所有產品
  volact products \"LTSC 2019\" --gvlk                     該版本及其安裝金鑰
  volact products 2d5a5a60-3040-48bf-beb0-fcd770c20ce0   slmgr /dlv 顯示的啟用識別碼
  volact products WFG99                                  slmgr /dli 顯示的最後五個字元
  volact products --family office --format csv",
    ),
];
