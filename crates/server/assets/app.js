// volact help-desk page. Plain ES2020, no framework, nothing loaded from elsewhere.
// Every piece of data from the API or from the user is put into the page with textContent or
// attributes (never innerHTML), so pasted or uploaded content is only ever text.
"use strict";

(() => {
  // ---------------------------------------------------------------------------------------------
  // Page texts, English and Traditional Chinese.
  // ---------------------------------------------------------------------------------------------
  const I18N = {
    en: {
      skip: "Skip to content",
      nav: "Sections",
      navSearch: "Search",
      navPaste: "Paste",
      navUpload: "Event log",
      navProducts: "Products",
      productsH: "Volume products",
      productsIntro:
        "Name an Activation ID, find the KMS client setup key (GVLK) of an edition, and see which KMS host key activates it and which update the host needs first. Microsoft publishes the GVLKs for KMS clients.",
      productsQLabel: "Product name, Activation ID, or the last five characters of a key",
      productsFamily: "Family",
      "family.all": "All families",
      "family.windows": "Windows client",
      "family.server": "Windows Server",
      "family.office": "Office",
      productsGvlk: "Show whole setup keys (GVLKs)",
      productsGo: "Find products",
      productsCount: (n) => (n === 0 ? "No product matches." : n === 1 ? "1 product." : `${n} products.`),
      productsCaption: "Volume products",
      colProduct: "Product",
      colActId: "Activation ID",
      colCount: "KMS count",
      colKey: "Setup key (GVLK)",
      colTail: "GVLK ends in",
      colHosts: "Host keys that activate it",
      thirdParty: "third-party data only",
      hostsNone: "no source names one",
      needsUpdate: (u) => `needs ${u}`,
      footer:
        "volact explains and diagnoses Windows volume activation errors. It never activates Windows, and nothing you paste or upload is stored.",
      titleHome: "volact: Windows activation help desk",
      homeH: "Windows activation help desk",
      homeIntro:
        "Look up a volume activation error code, paste what Windows printed, or upload a KMS event log, and see what went wrong and what to do next.",
      searchH: "Look up an error",
      qLabel: "Code, name or words",
      qHint:
        "For example 0xC004F074, c004f074, -1073418124, SL_E_VL_INVALID_TIMESTAMP, DNS or 寬限期. Enter opens the best match; the Down arrow moves into the results.",
      typeLabel: "Activation type",
      typeAll: "All types",
      "type.mak": "MAK",
      "type.kms-client": "KMS client",
      "type.kms-host": "KMS host",
      searching: "Searching…",
      resultsCount: (n, shown) =>
        n === 0
          ? "No code matches."
          : shown < n
            ? `${n} codes match; the first ${shown} are shown.`
            : n === 1
              ? "1 code matches."
              : `${n} codes match.`,
      resultsLabel: "Matching codes",
      openCode: (c) => `Open the page of ${c}`,
      showAll: (n) => `Show all ${n} codes`,
      pasteH: "Paste a dialog, slmgr output or log",
      pasteLabel: "Text to analyse",
      pasteHint:
        "Anything Windows printed: an error dialog, slmgr /dli, /dlv or /xpr output, Event Viewer text, a log file. Up to 1 MiB. Ctrl+Enter analyses. Product keys are masked in the results and nothing is stored.",
      analyse: "Analyse",
      clear: "Clear",
      analysing: "Analysing…",
      pasteEmpty: "Paste some text first.",
      pasteTooBig: "The text is larger than 1 MiB; paste a smaller part of the log.",
      uploadH: "Upload an event log",
      uploadIntro:
        "Export a KMS host's “Key Management Service” log or a client's Application log from Event Viewer (.evtx, or XML), and see the host's count, failing clients and requests per day, or the client's attempts.",
      fileLabel: "Event log file (.evtx, .xml or .txt)",
      fileHint: "Choose a file, or drop it on this box. Up to 64 MiB; it is read in memory and never stored.",
      dropHere: "Drop the file to analyse it",
      uploading: (name) => `Reading ${name}…`,
      fileTooBig: "The file is larger than 64 MiB.",
      back: "Back to search",
      loading: "Loading…",
      titleCode: (c) => `${c}: volact`,
      notKnown:
        "This code is not in volact's knowledge base of activation errors; below is what its value says.",
      summary: "Summary",
      note: "Note",
      causes: "Likely causes",
      steps: "Steps to fix it, in order",
      commands: "Commands",
      elevated: "needs an elevated (administrator) prompt",
      copy: "Copy",
      copied: "Copied",
      copyFailed: "Could not copy; select the command and copy it by hand.",
      copiedAnnounce: "Command copied to the clipboard.",
      copyLabel: (n) => `Copy command ${n}`,
      events: "Related events",
      eventIds: "Event IDs",
      checks: "Checks that volact doctor runs for it",
      "check.dns": "DNS SRV lookup (_vlmcs._tcp)",
      "check.tcp": "TCP connection to port 1688",
      "check.rpc": "RPC bind to the KMS interface",
      "check.clock": "Clock difference",
      related: "Related codes",
      decode: "Decode details",
      hex: "Hexadecimal",
      signed: "Signed decimal",
      unsigned: "Unsigned decimal",
      severity: "Severity",
      facility: "Facility",
      lowCode: "Code (low 16 bits)",
      win32: "Win32 error",
      ntstatus: "NTSTATUS",
      otherNames: "Other names",
      coverage: "Coverage",
      "coverage.known": "explained in the knowledge base",
      "coverage.named": "named by Windows, not explained here",
      "coverage.unknown": "not known",
      seedNote: "Listed in the Microsoft troubleshooting page this tool started from.",
      sources: "Sources",
      types: "Activation types",
      results: "Results",
      counts: "What was read",
      linesRead: "Lines read",
      inputsRead: "Inputs read",
      inputsSkipped: "Inputs skipped",
      inputErrors: "Inputs with errors",
      codesFound: "Codes found",
      distinctCodes: "Distinct codes",
      snapshotsFound: "slmgr outputs",
      eventsFound: "Events read",
      eventProblems: "Events not understood",
      nothingFound: "No activation error code, slmgr output or activation event was found in this text.",
      foundCodes: "Codes found",
      seen: (n, l, c) => `Seen ${n} ${n === 1 ? "time" : "times"}; first on line ${l}, column ${c}.`,
      explanation: "Causes, steps and commands",
      openPage: "Open its page",
      snapshots: "slmgr output",
      snapshotH: (a, b, name) => `Lines ${a}–${b}${name ? `: ${name}` : ""}`,
      diagnosis: "Diagnosis",
      "sev.ok": "OK",
      "sev.info": "Information",
      "sev.attention": "Attention",
      "sev.warning": "Warning",
      "sev.error": "Error",
      "sev.failure": "Failure",
      "sev.success": "Success",
      kmsClient: "KMS client",
      kmsHost: "KMS host",
      yes: "yes",
      no: "no",
      "f.name": "Name",
      "f.description": "Description",
      "f.channel": "Channel",
      "f.service_version": "Licensing service version",
      "f.activation_id": "Activation ID",
      "f.application_id": "Application ID",
      "f.extended_pid": "Extended PID",
      "f.product_key_channel": "Product key channel",
      "f.partial_product_key": "Partial product key",
      "f.license_status": "License status",
      "f.notification_reason": "Notification reason",
      "f.expiration": "Expiration",
      "f.time_remaining": "Time remaining",
      "f.rearm_count": "Remaining rearm count",
      "f.trusted_time": "Trusted time",
      "f.activation_type": "Configured activation type",
      "f.xpr": "slmgr /xpr",
      "f.asks_for_ato": "slmgr asks to run /ato",
      "f.cmid": "Client machine ID (CMID)",
      "f.registered_kms_name": "KMS host set with /skms",
      "f.srv_lookup_domain": "SRV lookup domain",
      "f.kms_name_from_dns": "KMS host from DNS",
      "f.dns_discovery_failed": "DNS discovery failed",
      "f.kms_ip": "KMS host IP address",
      "f.kms_extended_pid": "KMS host extended PID",
      "f.activation_interval_minutes": "Activation interval (minutes)",
      "f.renewal_interval_minutes": "Renewal interval (minutes)",
      "f.host_caching": "KMS host caching",
      "f.current_count": "Current count",
      "f.listening_port": "Listening port",
      "f.dns_publishing": "DNS publishing",
      "f.priority": "Priority",
      "f.total_requests": "Total requests",
      "f.failed_requests": "Failed requests",
      "f.requests_by_status": "Requests by status",
      textH: "Your text",
      textNote: (shown, total) =>
        shown < total ? `The first ${shown} of ${total} lines; lines with a code are marked.` : "Lines with a code are marked.",
      textRegion: "Your text, line by line",
      eventsH: "Events in the text",
      time: "Time",
      eventId: "Event",
      line: "Line",
      minCount: "Minimum count",
      "ls.unlicensed": "unlicensed",
      "ls.licensed": "licensed",
      "ls.oob_grace": "initial grace period",
      "ls.oot_grace": "additional grace period (KMS license expired or hardware changed)",
      "ls.non_genuine_grace": "non-genuine grace period",
      "ls.notification": "notification",
      "ls.extended_grace": "extended grace period",
      problemAt: (line, id) => `Line ${line}${id ? ` (event ${id})` : ""}:`,
      computer: "Computer",
      code: "Code",
      details: "Details",
      reportFor: (n) => `Report for ${n}`,
      attention: "Needs attention",
      "att.client_failures": "The client's activation attempts failed.",
      "att.no_response": "Some client requests got no answer from a KMS host.",
      "att.host_errors": "The KMS host answered some requests with an error.",
      "att.clock_skew": "Some clients' clocks are more than 4 hours off the host's.",
      "att.cloned_cmids": "Several machines share one CMID (cloned without sysprep).",
      "att.count_below_client_threshold": "The count is below 25: client operating systems are not activated.",
      "att.count_below_server_threshold": "The count is below 5: server operating systems are not activated.",
      "att.dns_publishing_failed": "The host failed to publish its SRV record in DNS.",
      "att.slui_failures": "slui.exe reported activation failures.",
      "att.auto_activation_failed": "The activation scheduler could not activate automatically (8196).",
      "att.vl_activation_failed": "Volume activation attempts failed and did not recover (8233).",
      "att.ad_activation_failed": "Active Directory-based activation failed (8213/8214/8215).",
      "att.avma_results": "Automatic VM Activation failed for some machines (12309/12310).",
      "att.damaged_input": "Part of the input was damaged or unreadable.",
      recordsRead: "Records read",
      eventsUsed: "Activation events used",
      recordsSkipped: "Records skipped",
      skippedWhy: "Why records were skipped",
      damagedChunks: "Damaged .evtx chunks",
      period: "Period",
      inputKind: "Format",
      warnings: "Warnings",
      moreWarnings: (n) => `and ${n} more`,
      hostH: "KMS host",
      countH: "Count now",
      countValue: (n) => `Count: ${n}`,
      countMeter: "Count against the thresholds",
      countExplain: (d, from, to, cap) =>
        `${d} distinct machines (CMIDs) asked in the 30 days from ${from} to ${to}; the count is capped at ${cap}.`,
      threshold: (who, need, ok) =>
        `${who} need ${need}: ${ok ? "enough, they are activated" : "too low, they are not activated"}.`,
      clientOs: "Client operating systems",
      serverOs: "Server operating systems",
      osSplit: (c, s, u) => `Client OS machines: ${c}; server OS machines: ${s}${u ? `; unknown: ${u}` : ""}.`,
      hostTotals: (r, c) => `${r} requests from ${c} clients.`,
      chartH: "Activation requests per day",
      chartTitle: "Activation requests per day, by outcome",
      chartDesc: (n, a, b, r, ok, low, f) =>
        `${n} ${n === 1 ? "day" : "days"} from ${a} to ${b}: ${r} requests, ${ok} activated, ${low} refused because the count was too low, ${f} failed with another error.`,
      chartOmitted: (n) => `${n} requests on older days are not shown.`,
      axisY: "Requests",
      axisX: "Date (UTC)",
      "out.activated": "Activated",
      "out.count_too_low": "Count too low",
      "out.failed": "Failed",
      "out.other": "Other",
      chartTable: "The chart's data as a table",
      date: "Date",
      requests: "Requests",
      dayTitle: (d, r, ok, low, f) => `${d}: ${r} requests; ${ok} activated, ${low} count too low, ${f} failed`,
      chartTableNote: (n) => `The newest ${n} days.`,
      failingH: "Failing clients",
      failingNone: "No client got an error.",
      failingCaption: (n, shown) => (shown < n ? `${n} clients with errors; the first ${shown} are shown.` : `${n} clients with errors.`),
      clientName: "Client",
      cmid: "CMID",
      lastRequest: "Last request",
      lastCode: "Last code",
      licenseState: "License state",
      failures: "Failures",
      codesH: "Codes returned",
      count: "Count",
      meaning: "Meaning",
      skewH: "Clocks more than 4 hours off",
      skewCol: "Client clock minus host clock",
      skewRequests: "Requests refused or at risk",
      ahead: "ahead",
      behind: "behind",
      clonesH: "Cloned CMIDs",
      names: "Machine names",
      namesMore: (n) => `(${n} in all)`,
      dnsH: "DNS publishing",
      dnsPublished: (n) => `SRV record published successfully ${n} ${n === 1 ? "time" : "times"}.`,
      dnsFailures: (n) => `${n} publishing ${n === 1 ? "failure" : "failures"}.`,
      domain: "Domain",
      clientH: "KMS client",
      attempts: "Attempts",
      activated: "Activated",
      failed: "Failed",
      noResponse: "No response",
      orphanResponses: "Responses without a request",
      lastCount: "Last count the host reported",
      hostsContacted: "KMS hosts contacted",
      host: "KMS host",
      attemptsH: "Attempts",
      attemptsNote: (shown, n) => (shown < n ? `The newest ${shown} of ${n} attempts.` : ""),
      requestCode: "Request code",
      responseCode: "Response code",
      outcome: "Outcome",
      "oc.activated": "activated",
      "oc.not_activated": "answered, not activated",
      "oc.failed": "failed",
      "oc.no_response": "no response",
      currentCount: "Count",
      sluiH: "slui.exe failures (event 8198)",
      otherCodesH: "Other codes in the log",
      noActivation: "No KMS activation event was found in this file.",
      errorTitle: "Error",
      dismiss: "Dismiss",
      errNetwork: "The volact server could not be reached. Is it still running?",
      errBadResponse: "The server's answer could not be read.",
      err400: "The request was not accepted:",
      err403: "This is not allowed on this server:",
      err404: "Not found:",
      err408: "The server took too long:",
      err413: "Too large:",
      err415: "This kind of content is not accepted:",
      err422: "Nothing could be read from it:",
      err429: "The server is busy; try again in a moment.",
      err503: "The server is busy; try again in a moment.",
      errOther: "The server reported a problem:",
      announceResults: (codes, snaps) => `Analysis done: ${codes} codes and ${snaps} slmgr outputs found.`,
      announceReport: "The event log report is ready.",
      announceCode: (c) => `Page of ${c} loaded.`,
      announceLang: "Language: English",
    },
    "zh-TW": {
      skip: "跳到主要內容",
      nav: "區段",
      navSearch: "搜尋",
      navPaste: "貼上",
      navUpload: "事件記錄",
      navProducts: "產品",
      productsH: "大量授權產品",
      productsIntro:
        "查出啟用識別碼（Activation ID）是哪個版本、某個版本的 KMS 用戶端安裝金鑰（GVLK），以及由哪一把 KMS 主機金鑰啟用、主機需先安裝哪個更新。GVLK 是 Microsoft 為 KMS 用戶端公開的金鑰。",
      productsQLabel: "產品名稱、啟用識別碼，或金鑰的最後五個字元",
      productsFamily: "類別",
      "family.all": "所有類別",
      "family.windows": "Windows 用戶端",
      "family.server": "Windows Server",
      "family.office": "Office",
      productsGvlk: "顯示完整安裝金鑰（GVLK）",
      productsGo: "尋找產品",
      productsCount: (n) => (n === 0 ? "沒有符合的產品。" : `共 ${n} 個產品。`),
      productsCaption: "大量授權產品",
      colProduct: "產品",
      colActId: "啟用識別碼",
      colCount: "KMS 計數",
      colKey: "安裝金鑰（GVLK）",
      colTail: "GVLK 結尾",
      colHosts: "可啟用它的主機金鑰",
      thirdParty: "僅見於第三方資料",
      hostsNone: "資料來源沒有列出",
      needsUpdate: (u) => `需先安裝 ${u}`,
      footer: "volact 說明並診斷 Windows 大量授權啟用錯誤。它絕不會啟用 Windows，您貼上或上傳的內容也不會被保存。",
      titleHome: "volact：Windows 啟用服務台",
      homeH: "Windows 啟用服務台",
      homeIntro: "查詢大量授權啟用錯誤碼、貼上 Windows 顯示的內容，或上傳 KMS 事件記錄，了解出了什麼問題以及下一步該怎麼做。",
      searchH: "查詢錯誤",
      qLabel: "錯誤碼、名稱或關鍵字",
      qHint:
        "例如 0xC004F074、c004f074、-1073418124、SL_E_VL_INVALID_TIMESTAMP、DNS 或 寬限期。按 Enter 開啟最符合的項目；按向下鍵移到結果清單。",
      typeLabel: "啟用類型",
      typeAll: "所有類型",
      "type.mak": "MAK",
      "type.kms-client": "KMS 用戶端",
      "type.kms-host": "KMS 主機",
      searching: "搜尋中…",
      resultsCount: (n, shown) =>
        n === 0 ? "沒有符合的錯誤碼。" : shown < n ? `共有 ${n} 個符合的錯誤碼，顯示前 ${shown} 個。` : `共有 ${n} 個符合的錯誤碼。`,
      resultsLabel: "符合的錯誤碼",
      openCode: (c) => `開啟 ${c} 的頁面`,
      showAll: (n) => `顯示全部 ${n} 個錯誤碼`,
      pasteH: "貼上對話方塊、slmgr 輸出或記錄",
      pasteLabel: "要分析的文字",
      pasteHint:
        "任何 Windows 顯示的內容：錯誤對話方塊、slmgr /dli、/dlv 或 /xpr 的輸出、事件檢視器文字、記錄檔。上限 1 MiB。按 Ctrl+Enter 開始分析。結果中的產品金鑰會被遮蔽，內容不會被保存。",
      analyse: "分析",
      clear: "清除",
      analysing: "分析中…",
      pasteEmpty: "請先貼上文字。",
      pasteTooBig: "文字超過 1 MiB，請只貼上記錄的一部分。",
      uploadH: "上傳事件記錄",
      uploadIntro:
        "從事件檢視器匯出 KMS 主機的「Key Management Service」記錄或用戶端的「應用程式」記錄（.evtx 或 XML），即可看到主機的計數、失敗的用戶端和每日要求數，或用戶端的嘗試紀錄。",
      fileLabel: "事件記錄檔（.evtx、.xml 或 .txt）",
      fileHint: "選擇檔案，或將檔案拖放到此方塊。上限 64 MiB；檔案只在記憶體中讀取，絕不保存。",
      dropHere: "放開檔案即可分析",
      uploading: (name) => `正在讀取 ${name}…`,
      fileTooBig: "檔案超過 64 MiB。",
      back: "回到搜尋",
      loading: "載入中…",
      titleCode: (c) => `${c}：volact`,
      notKnown: "此錯誤碼不在 volact 的啟用錯誤知識庫中；以下是從其數值可以解讀出的資訊。",
      summary: "摘要",
      note: "附註",
      causes: "可能的原因",
      steps: "修正步驟（依序進行）",
      commands: "指令",
      elevated: "需要以系統管理員身分執行的命令提示字元",
      copy: "複製",
      copied: "已複製",
      copyFailed: "無法複製；請自行選取指令後複製。",
      copiedAnnounce: "指令已複製到剪貼簿。",
      copyLabel: (n) => `複製第 ${n} 個指令`,
      events: "相關事件",
      eventIds: "事件識別碼",
      checks: "volact doctor 針對它執行的檢查",
      "check.dns": "DNS SRV 查詢（_vlmcs._tcp）",
      "check.tcp": "連線到 TCP 1688 連接埠",
      "check.rpc": "對 KMS 介面進行 RPC 繫結",
      "check.clock": "時鐘差異",
      related: "相關錯誤碼",
      decode: "數值解讀",
      hex: "十六進位",
      signed: "有號十進位",
      unsigned: "無號十進位",
      severity: "嚴重性",
      facility: "設施（Facility）",
      lowCode: "代碼（低 16 位元）",
      win32: "Win32 錯誤",
      ntstatus: "NTSTATUS",
      otherNames: "其他名稱",
      coverage: "涵蓋範圍",
      "coverage.known": "知識庫中有說明",
      "coverage.named": "Windows 有命名，此處沒有說明",
      "coverage.unknown": "未知",
      seedNote: "列於本工具所依據的 Microsoft 疑難排解頁面中。",
      sources: "資料來源",
      types: "啟用類型",
      results: "結果",
      counts: "讀取概況",
      linesRead: "讀取的行數",
      inputsRead: "已讀取的輸入",
      inputsSkipped: "略過的輸入",
      inputErrors: "有錯誤的輸入",
      codesFound: "找到的錯誤碼",
      distinctCodes: "不同的錯誤碼",
      snapshotsFound: "slmgr 輸出",
      eventsFound: "讀取的事件",
      eventProblems: "無法解讀的事件",
      nothingFound: "這段文字中沒有找到啟用錯誤碼、slmgr 輸出或啟用事件。",
      foundCodes: "找到的錯誤碼",
      seen: (n, l, c) => `出現 ${n} 次；第一次在第 ${l} 行第 ${c} 欄。`,
      explanation: "原因、步驟與指令",
      openPage: "開啟其頁面",
      snapshots: "slmgr 輸出",
      snapshotH: (a, b, name) => `第 ${a}–${b} 行${name ? `：${name}` : ""}`,
      diagnosis: "診斷",
      "sev.ok": "正常",
      "sev.info": "資訊",
      "sev.attention": "需要注意",
      "sev.warning": "警告",
      "sev.error": "錯誤",
      "sev.failure": "失敗",
      "sev.success": "成功",
      kmsClient: "KMS 用戶端",
      kmsHost: "KMS 主機",
      yes: "是",
      no: "否",
      "f.name": "名稱",
      "f.description": "描述",
      "f.channel": "通道",
      "f.service_version": "授權服務版本",
      "f.activation_id": "啟用識別碼",
      "f.application_id": "應用程式識別碼",
      "f.extended_pid": "延伸 PID",
      "f.product_key_channel": "產品金鑰通道",
      "f.partial_product_key": "部分產品金鑰",
      "f.license_status": "授權狀態",
      "f.notification_reason": "通知原因",
      "f.expiration": "到期",
      "f.time_remaining": "剩餘時間",
      "f.rearm_count": "剩餘重設次數",
      "f.trusted_time": "信任的時間",
      "f.activation_type": "設定的啟用類型",
      "f.xpr": "slmgr /xpr",
      "f.asks_for_ato": "slmgr 要求執行 /ato",
      "f.cmid": "用戶端電腦識別碼（CMID）",
      "f.registered_kms_name": "以 /skms 設定的 KMS 主機",
      "f.srv_lookup_domain": "SRV 查詢網域",
      "f.kms_name_from_dns": "從 DNS 找到的 KMS 主機",
      "f.dns_discovery_failed": "DNS 自動探索失敗",
      "f.kms_ip": "KMS 主機 IP 位址",
      "f.kms_extended_pid": "KMS 主機延伸 PID",
      "f.activation_interval_minutes": "啟用間隔（分鐘）",
      "f.renewal_interval_minutes": "更新間隔（分鐘）",
      "f.host_caching": "KMS 主機快取",
      "f.current_count": "目前計數",
      "f.listening_port": "接聽連接埠",
      "f.dns_publishing": "DNS 發佈",
      "f.priority": "優先順序",
      "f.total_requests": "要求總數",
      "f.failed_requests": "失敗的要求",
      "f.requests_by_status": "各狀態的要求數",
      textH: "您的文字",
      textNote: (shown, total) => (shown < total ? `前 ${shown} 行（共 ${total} 行）；含有錯誤碼的行已標示。` : "含有錯誤碼的行已標示。"),
      textRegion: "您的文字（逐行）",
      eventsH: "文字中的事件",
      time: "時間",
      eventId: "事件",
      line: "行",
      minCount: "最低計數",
      "ls.unlicensed": "未授權",
      "ls.licensed": "已授權",
      "ls.oob_grace": "初始寬限期",
      "ls.oot_grace": "額外寬限期（KMS 授權已過期或硬體變更）",
      "ls.non_genuine_grace": "非正版寬限期",
      "ls.notification": "通知模式",
      "ls.extended_grace": "延長寬限期",
      problemAt: (line, id) => `第 ${line} 行${id ? `（事件 ${id}）` : ""}：`,
      computer: "電腦",
      code: "錯誤碼",
      details: "詳細資料",
      reportFor: (n) => `${n} 的報告`,
      attention: "需要注意",
      "att.client_failures": "用戶端的啟用嘗試失敗。",
      "att.no_response": "部分用戶端要求沒有得到 KMS 主機的回應。",
      "att.host_errors": "KMS 主機對部分要求回應了錯誤。",
      "att.clock_skew": "部分用戶端的時鐘與主機相差超過 4 小時。",
      "att.cloned_cmids": "多部電腦共用同一個 CMID（複製時未執行 sysprep）。",
      "att.count_below_client_threshold": "計數低於 25：用戶端作業系統無法啟用。",
      "att.count_below_server_threshold": "計數低於 5：伺服器作業系統無法啟用。",
      "att.dns_publishing_failed": "主機無法在 DNS 中發佈其 SRV 記錄。",
      "att.slui_failures": "slui.exe 回報了啟用失敗。",
      "att.auto_activation_failed": "啟用排程器無法自動啟用（8196）。",
      "att.vl_activation_failed": "大量授權啟用嘗試失敗且未恢復（8233）。",
      "att.ad_activation_failed": "Active Directory 型啟用失敗（8213/8214/8215）。",
      "att.avma_results": "部分電腦的自動虛擬機器啟用失敗（12309/12310）。",
      "att.damaged_input": "部分輸入已損毀或無法讀取。",
      recordsRead: "讀取的記錄",
      eventsUsed: "使用的啟用事件",
      recordsSkipped: "略過的記錄",
      skippedWhy: "略過記錄的原因",
      damagedChunks: "損毀的 .evtx 區塊",
      period: "期間",
      inputKind: "格式",
      warnings: "警告",
      moreWarnings: (n) => `另有 ${n} 則`,
      hostH: "KMS 主機",
      countH: "目前計數",
      countValue: (n) => `計數：${n}`,
      countMeter: "計數與門檻比較",
      countExplain: (d, from, to, cap) => `從 ${from} 到 ${to} 的 30 天內，有 ${d} 部不同的電腦（CMID）提出要求；計數上限為 ${cap}。`,
      threshold: (who, need, ok) => `${who}需要 ${need}：${ok ? "已足夠，可以啟用" : "不足，無法啟用"}。`,
      clientOs: "用戶端作業系統",
      serverOs: "伺服器作業系統",
      osSplit: (c, s, u) => `用戶端作業系統電腦：${c}；伺服器作業系統電腦：${s}${u ? `；未知：${u}` : ""}。`,
      hostTotals: (r, c) => `來自 ${c} 部用戶端的 ${r} 個要求。`,
      chartH: "每日啟用要求數",
      chartTitle: "每日啟用要求數（依結果區分）",
      chartDesc: (n, a, b, r, ok, low, f) =>
        `從 ${a} 到 ${b} 共 ${n} 天：${r} 個要求，其中 ${ok} 個已啟用，${low} 個因計數不足被拒，${f} 個因其他錯誤失敗。`,
      chartOmitted: (n) => `較早日期的 ${n} 個要求未顯示。`,
      axisY: "要求數",
      axisX: "日期（UTC）",
      "out.activated": "已啟用",
      "out.count_too_low": "計數不足",
      "out.failed": "失敗",
      "out.other": "其他",
      chartTable: "以表格呈現圖表資料",
      date: "日期",
      requests: "要求數",
      dayTitle: (d, r, ok, low, f) => `${d}：${r} 個要求；${ok} 個已啟用，${low} 個計數不足，${f} 個失敗`,
      chartTableNote: (n) => `最近 ${n} 天。`,
      failingH: "失敗的用戶端",
      failingNone: "沒有用戶端收到錯誤。",
      failingCaption: (n, shown) => (shown < n ? `${n} 部用戶端收到錯誤；顯示前 ${shown} 部。` : `${n} 部用戶端收到錯誤。`),
      clientName: "用戶端",
      cmid: "CMID",
      lastRequest: "最後一次要求",
      lastCode: "最後的錯誤碼",
      licenseState: "授權狀態",
      failures: "失敗次數",
      codesH: "回應的錯誤碼",
      count: "次數",
      meaning: "意義",
      skewH: "時鐘相差超過 4 小時",
      skewCol: "用戶端時鐘減主機時鐘",
      skewRequests: "被拒或有風險的要求",
      ahead: "較快",
      behind: "較慢",
      clonesH: "重複的 CMID",
      names: "電腦名稱",
      namesMore: (n) => `（共 ${n} 個）`,
      dnsH: "DNS 發佈",
      dnsPublished: (n) => `SRV 記錄成功發佈 ${n} 次。`,
      dnsFailures: (n) => `發佈失敗 ${n} 次。`,
      domain: "網域",
      clientH: "KMS 用戶端",
      attempts: "嘗試次數",
      activated: "已啟用",
      failed: "失敗",
      noResponse: "沒有回應",
      orphanResponses: "沒有對應要求的回應",
      lastCount: "主機最後回報的計數",
      hostsContacted: "聯絡過的 KMS 主機",
      host: "KMS 主機",
      attemptsH: "嘗試紀錄",
      attemptsNote: (shown, n) => (shown < n ? `最近 ${shown} 次嘗試（共 ${n} 次）。` : ""),
      requestCode: "要求錯誤碼",
      responseCode: "回應錯誤碼",
      outcome: "結果",
      "oc.activated": "已啟用",
      "oc.not_activated": "有回應但未啟用",
      "oc.failed": "失敗",
      "oc.no_response": "沒有回應",
      currentCount: "計數",
      sluiH: "slui.exe 失敗（事件 8198）",
      otherCodesH: "記錄中的其他錯誤碼",
      noActivation: "此檔案中沒有找到 KMS 啟用事件。",
      errorTitle: "錯誤",
      dismiss: "關閉",
      errNetwork: "無法連線到 volact 伺服器。它仍在執行嗎？",
      errBadResponse: "無法讀取伺服器的回應。",
      err400: "要求未被接受：",
      err403: "此伺服器不允許這項操作：",
      err404: "找不到：",
      err408: "伺服器處理時間過長：",
      err413: "內容太大：",
      err415: "不接受這種內容：",
      err422: "無法從中讀取任何內容：",
      err429: "伺服器忙碌中，請稍後再試。",
      err503: "伺服器忙碌中，請稍後再試。",
      errOther: "伺服器回報了問題：",
      announceResults: (codes, snaps) => `分析完成：找到 ${codes} 個錯誤碼和 ${snaps} 份 slmgr 輸出。`,
      announceReport: "事件記錄報告已完成。",
      announceCode: (c) => `已載入 ${c} 的頁面。`,
      announceLang: "語言：繁體中文",
    },
  };

  const LANGS = ["en", "zh-TW"];
  const MAX_TEXT = 1024 * 1024;
  const MAX_UPLOAD = 64 * 1024 * 1024;
  const SUCCESS = "0x00000000";

  // `?lang=en` or `?lang=zh-TW` in the address (any case, `_` for `-`), or null.
  function urlLang() {
    let v = null;
    try {
      v = new URLSearchParams(location.search).get("lang");
    } catch (_) {
      v = null;
    }
    if (!v) return null;
    const k = v.trim().replace("_", "-").toLowerCase();
    return LANGS.find((l) => l.toLowerCase() === k) || null;
  }

  function initialLang() {
    const fromUrl = urlLang();
    if (fromUrl) {
      try {
        localStorage.setItem("volact.lang", fromUrl);
      } catch (_) {
        // Private mode: the address still says it.
      }
      return fromUrl;
    }
    let saved = null;
    try {
      saved = localStorage.getItem("volact.lang");
    } catch (_) {
      saved = null;
    }
    if (LANGS.includes(saved)) return saved;
    const nav = (navigator.languages && navigator.languages[0]) || navigator.language || "";
    return nav.toLowerCase().startsWith("zh") ? "zh-TW" : "en";
  }

  let lang = initialLang();

  function t(key, ...args) {
    const v = I18N[lang][key] ?? I18N.en[key];
    if (v === undefined) return key;
    return typeof v === "function" ? v(...args) : v;
  }

  function num(n) {
    return typeof n === "number" ? n.toLocaleString(lang) : String(n ?? "");
  }

  // Numbers that name something rather than count it (a port, a priority, an event ID): shown
  // as written, never with group separators ("1688", not "1,688").
  const NOT_QUANTITIES = new Set(["listening_port", "port", "priority", "weight", "event_id", "id", "pid", "build"]);

  function fieldValue(key, v) {
    if (typeof v !== "number") return String(v);
    return NOT_QUANTITIES.has(key) || /(_port|_id)$/.test(key) ? String(v) : num(v);
  }

  // ---------------------------------------------------------------------------------------------
  // DOM helpers: text only, never HTML.
  // ---------------------------------------------------------------------------------------------
  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  const SVGNS = "http://www.w3.org/2000/svg";
  function s(tag, attrs, ...children) {
    const el = document.createElementNS(SVGNS, tag);
    setAttrs(el, attrs);
    append(el, children);
    return el;
  }

  function setAttrs(el, attrs) {
    if (!attrs) return;
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "on") {
        for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
      } else if (k === "hidden" || k === "open" || k === "disabled") {
        el[k] = true;
      } else {
        el.setAttribute(k, v === true ? "" : String(v));
      }
    }
  }

  function append(el, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
  }

  // Appends children to a node: text for strings and numbers, nested arrays flattened, and
  // null, undefined and false left out (the DOM's own append would write "null").
  function add(el, ...children) {
    append(el, children);
    return el;
  }

  // An element whose text is a page string; it follows language changes.
  function L(tag, key, attrs) {
    const el = h(tag, attrs, t(key));
    el.dataset.i18n = key;
    return el;
  }

  function clear(el) {
    while (el.firstChild) el.removeChild(el.firstChild);
  }

  let uid = 0;
  function nextId(prefix) {
    uid += 1;
    return `${prefix}-${uid}`;
  }

  function heading(level, attrs, ...children) {
    return h(`h${Math.min(6, Math.max(1, level))}`, attrs, ...children);
  }

  function codeLink(code, name) {
    return h(
      "a",
      { href: `/code/${encodeURIComponent(code)}`, "data-nav": true, class: "code-link" },
      h("span", { class: "mono" }, code),
      name ? [" ", h("span", { class: "name mono" }, name)] : null,
    );
  }

  // A definition list of [term, value] rows; rows without a value are left out. With cls
  // "stats", each pair sits in its own box (a <div> inside <dl>, as HTML allows).
  function dl(rows, cls) {
    const el = h("dl", { class: cls || "facts" });
    for (const [k, v] of rows) {
      if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) continue;
      if (cls === "stats") add(el, h("div", null, h("dt", null, k), h("dd", null, v)));
      else add(el, h("dt", null, k), h("dd", null, v));
    }
    return el;
  }

  function yesNo(b) {
    return b ? t("yes") : t("no");
  }

  function fmtTime(v) {
    if (v === null || v === undefined) return "";
    return String(v).replace("T", " ").replace(/Z$/, " UTC");
  }

  function sevTag(sev) {
    const key = `sev.${sev}`;
    const label = I18N.en[key] ? t(key) : String(sev);
    return h("span", { class: `sev sev-${String(sev).replace(/[^a-z]/g, "")}` }, label);
  }

  function table(caption, headers, rows, opts = {}) {
    const capId = nextId("cap");
    const tbl = h(
      "table",
      { class: opts.cls || null },
      h("caption", { id: capId, class: opts.quiet ? "sr-only" : null }, caption),
      h("thead", null, h("tr", null, headers.map((x) => h("th", { scope: "col" }, x)))),
      h(
        "tbody",
        null,
        rows.map((r) => h("tr", { class: r.cls || null }, (r.cells || r).map((c, i) => (i === 0 && opts.rowHeader ? h("th", { scope: "row" }, c) : h("td", null, c))))),
      ),
    );
    return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": capId }, tbl);
  }

  // ---------------------------------------------------------------------------------------------
  // API access and errors.
  // ---------------------------------------------------------------------------------------------
  class ApiError extends Error {
    constructor(kind, message, status) {
      super(message || kind);
      this.kind = kind;
      this.status = status || 0;
    }
  }

  async function api(method, path, opts = {}) {
    let res;
    try {
      res = await fetch(path, {
        method,
        body: opts.body,
        headers: Object.assign({ Accept: "application/json" }, opts.headers || {}),
        signal: opts.signal,
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (e) {
      if (e && e.name === "AbortError") throw e;
      throw new ApiError("network", t("errNetwork"), 0);
    }
    let data = null;
    try {
      data = await res.json();
    } catch (_) {
      data = null;
    }
    if (!res.ok) {
      const kind = (data && typeof data.error === "string" && data.error) || `http_${res.status}`;
      const msg = (data && typeof data.message === "string" && data.message) || res.statusText;
      throw new ApiError(kind, msg, res.status);
    }
    if (data === null || typeof data !== "object") throw new ApiError("bad_response", t("errBadResponse"), res.status);
    return data;
  }

  function withLang(path, params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== "" && v !== null && v !== undefined) q.set(k, v);
    q.set("lang", lang);
    return `${path}?${q.toString()}`;
  }

  const errorBox = () => document.getElementById("error");

  function showError(err) {
    if (err && err.name === "AbortError") return;
    const box = errorBox();
    clear(box);
    let lead;
    let detail = null;
    if (!(err instanceof ApiError)) {
      lead = t("errBadResponse");
    } else if (err.kind === "network" || err.kind === "bad_response") {
      lead = err.message;
    } else {
      const key = `err${err.status}`;
      lead = I18N.en[key] ? t(key) : t("errOther");
      detail = err.message;
    }
    append(box, [
      h("strong", null, `${t("errorTitle")}: `),
      h("span", { class: "error-lead" }, lead),
      detail ? [" ", h("span", { class: "error-detail", lang: "en" }, detail), " ", h("code", { class: "error-kind" }, err.kind)] : null,
      " ",
      h("button", { type: "button", class: "link-button", on: { click: hideError } }, t("dismiss")),
    ]);
    box.hidden = false;
  }

  // A problem found before asking the server (empty text, too large): one sentence.
  function showMessage(text) {
    const box = errorBox();
    clear(box);
    add(box, 
      h("strong", null, `${t("errorTitle")}: `),
      h("span", { class: "error-lead" }, text),
      " ",
      h("button", { type: "button", class: "link-button", on: { click: hideError } }, t("dismiss")),
    );
    box.hidden = false;
  }

  function hideError() {
    const box = errorBox();
    box.hidden = true;
    clear(box);
  }

  function announce(msg) {
    const el = document.getElementById("announce");
    el.textContent = "";
    // A separate task so screen readers notice the change even for the same text.
    setTimeout(() => {
      el.textContent = msg;
    }, 50);
  }

  // ---------------------------------------------------------------------------------------------
  // Codes typed in any form.
  // ---------------------------------------------------------------------------------------------
  function hex8(n) {
    return `0x${(n >>> 0).toString(16).toUpperCase().padStart(8, "0")}`;
  }

  // What to open for a query typed into the search box: `{ path, canonical }`, or null when the
  // query is words. `canonical` is the 0x form when it can be computed here.
  function codeFromQuery(raw) {
    // Full-width digits, letters, x and minus as typed with an East Asian input method.
    const q = raw.trim().replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF0D]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
    // The forms the API reads (as `volact explain`): 0x and up to eight hex digits (fewer than
    // eight and 1-0xFFFF: a Win32 error), exactly eight hex digits, a negative decimal down to
    // -2147483648, a decimal up to 4294967295 (1-65535: a Win32 error number).
    const at = (v) => {
      const c = hex8(v);
      return { path: c, canonical: c };
    };
    const win32 = (v) => (v === 0 ? 0 : (0x80070000 | v) >>> 0);
    if (q === "" || q.length > 24) return null;
    let m = /^0x([0-9a-f]+)$/i.exec(q);
    if (m) {
      const hex = m[1];
      if (hex.replace(/^0+/, "").length > 8) return null;
      const v = parseInt(hex.slice(-8), 16);
      return at(hex.length < 8 && v >= 1 && v <= 0xffff ? win32(v) : v);
    }
    if (/^[0-9a-f]{8}$/i.test(q)) return at(parseInt(q, 16));
    m = /^-(\d+)$/.exec(q);
    if (m) {
      const v = Number(m[1]);
      if (!Number.isSafeInteger(v) || v > 2147483648) return null;
      return at(-v);
    }
    if (/^\d+$/.test(q)) {
      const v = Number(q);
      if (!Number.isSafeInteger(v) || v > 4294967295) return null;
      return at(v >= 1 && v <= 0xffff ? win32(v) : v);
    }
    return null;
  }

  // A symbolic name (SL_E_VL_INVALID_TIMESTAMP, ERROR_ACCESS_DENIED): the API resolves it.
  function looksLikeName(q) {
    return /^[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)+$/.test(q);
  }

  // ---------------------------------------------------------------------------------------------
  // Views and routing.
  // ---------------------------------------------------------------------------------------------
  const main = document.getElementById("main");
  const home = h("div", { id: "view-home" });
  const codeView = h("div", { id: "view-code", hidden: true });
  let current = null; // "home" | "code"
  let codeReq = null;

  // The address with `lang` set to the page's language when the address carries one (so a
  // copied link opens in the language it was copied in).
  function withUrlLang(url) {
    const u = new URL(url, location.href);
    if (new URLSearchParams(location.search).has("lang") || u.searchParams.has("lang")) u.searchParams.set("lang", lang);
    return u.pathname + u.search + u.hash;
  }

  function navigate(url) {
    history.pushState(null, "", withUrlLang(url));
    route(true);
  }

  function route(focus) {
    const m = /^\/code\/(.+)$/.exec(location.pathname);
    if (m) {
      let code;
      try {
        code = decodeURIComponent(m[1]);
      } catch (_) {
        code = m[1];
      }
      showCode(code, focus);
    } else {
      showHome(focus);
    }
  }

  function showHome(focus) {
    current = "home";
    codeView.hidden = true;
    home.hidden = false;
    document.title = t("titleHome");
    const target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target) {
      const hd = target.querySelector("h1, h2");
      if (hd) {
        hd.setAttribute("tabindex", "-1");
        hd.focus();
      }
      target.scrollIntoView();
    } else if (focus) {
      home.querySelector("h1").focus();
      window.scrollTo(0, 0);
    }
    if (!search.loaded) runSearch();
  }

  async function showCode(code, focus) {
    current = "code";
    home.hidden = true;
    codeView.hidden = false;
    clear(codeView);
    const title = heading(1, { tabindex: "-1" }, h("span", { class: "mono" }, code));
    add(codeView, backLink(), title, L("p", "loading", { class: "muted" }));
    document.title = t("titleCode", code);
    if (focus) {
      title.focus();
      window.scrollTo(0, 0);
    }
    if (codeReq) codeReq.abort();
    const ctl = new AbortController();
    codeReq = ctl;
    try {
      const data = await api("GET", withLang(`/api/v1/codes/${encodeURIComponent(code)}`), { signal: ctl.signal });
      if (ctl.signal.aborted || current !== "code") return;
      const e = Array.isArray(data.results) ? data.results[0] : data;
      if (!e || !e.code) throw new ApiError("bad_response", t("errBadResponse"), 200);
      hideError();
      renderCodePage(e, focus);
      if (location.pathname !== `/code/${e.code}`) history.replaceState(null, "", withUrlLang(`/code/${e.code}${location.search}`));
      announce(t("announceCode", e.code));
    } catch (err) {
      if (err && err.name === "AbortError") return;
      clear(codeView);
      const hd = heading(1, { tabindex: "-1" }, h("span", { class: "mono" }, code));
      add(codeView, backLink(), hd);
      showError(err);
      if (focus) hd.focus();
    } finally {
      if (codeReq === ctl) codeReq = null;
    }
  }

  function backLink() {
    return h("p", { class: "crumbs" }, h("a", { href: "/", "data-nav": true }, h("span", { "aria-hidden": "true" }, "← "), t("back")));
  }

  function renderCodePage(e, focus) {
    clear(codeView);
    const title = heading(
      1,
      { tabindex: "-1", class: "code-title" },
      h("span", { class: "mono code-value" }, e.code),
      e.name ? [" ", h("span", { class: "mono name" }, e.name)] : null,
    );
    document.title = t("titleCode", e.code);
    add(codeView, backLink(), h("article", { class: "code-page" }, title, explanationBody(e, 2, true)));
    if (focus) title.focus();
  }

  // The body of an explanation; `hl` is the heading level of its sections.
  function explanationBody(e, hl, full) {
    const frag = document.createDocumentFragment();
    const lead = e.message || e.summary;
    if (lead) add(frag, h("p", { class: "lead" }, lead));
    if (e.summary && e.message && e.summary !== e.message) add(frag, h("p", null, e.summary));
    if (!e.known && full) add(frag, h("p", { class: "notice" }, t("notKnown")));
    if (Array.isArray(e.activation_types) && e.activation_types.length) {
      add(frag, 
        h(
          "p",
          { class: "badges" },
          h("span", { class: "visually-label" }, `${t("types")}: `),
          e.activation_types.map((x) => h("span", { class: "badge" }, I18N.en[`type.${x}`] ? t(`type.${x}`) : x)),
        ),
      );
    }
    if (e.note) add(frag, h("p", { class: "note" }, h("strong", null, `${t("note")}: `), e.note));
    if (Array.isArray(e.causes) && e.causes.length) {
      add(frag, heading(hl, null, t("causes")), h("ul", { class: "causes" }, e.causes.map((c) => h("li", null, c))));
    }
    if (Array.isArray(e.steps) && e.steps.length) {
      add(frag, heading(hl, null, t("steps")), h("ol", { class: "steps" }, e.steps.map((c) => h("li", null, c))));
    }
    if (Array.isArray(e.commands) && e.commands.length) {
      add(frag, heading(hl, null, t("commands")), h("ul", { class: "commands" }, e.commands.map((c, i) => commandItem(c, i + 1))));
    }
    if (!full) return frag;
    const evIds = Array.isArray(e.event_ids) ? e.event_ids : [];
    const checks = Array.isArray(e.checks) ? e.checks : [];
    if (evIds.length || checks.length) {
      add(frag, 
        heading(hl, null, t("events")),
        dl([
          [t("eventIds"), evIds.join(", ")],
          [t("checks"), checks.length ? h("ul", { class: "plain" }, checks.map((c) => h("li", null, I18N.en[`check.${c}`] ? t(`check.${c}`) : c))) : null],
        ]),
      );
    }
    if (Array.isArray(e.related) && e.related.length) {
      add(frag, 
        heading(hl, null, t("related")),
        h(
          "ul",
          { class: "related" },
          e.related.map((r) => h("li", null, codeLink(r.code, r.name), r.message ? [h("br"), h("span", { class: "muted" }, r.message)] : null)),
        ),
      );
    }
    add(frag, heading(hl, null, t("decode")), decodeFacts(e));
    if (e.seed) add(frag, h("p", { class: "muted" }, t("seedNote")));
    if (Array.isArray(e.sources) && e.sources.length) {
      add(frag, heading(hl, null, t("sources")), h("ol", { class: "sources" }, e.sources.map(sourceItem)));
    }
    return frag;
  }

  function commandItem(c, n) {
    const codeId = nextId("cmd");
    const btn = h("button", { type: "button", class: "copy", "aria-describedby": codeId, "aria-label": t("copyLabel", n) }, t("copy"));
    btn.addEventListener("click", () => copyText(c.run, btn));
    return h(
      "li",
      { class: "command" },
      c.purpose ? h("p", { class: "purpose" }, c.purpose) : null,
      c.elevated ? h("p", { class: "elevated" }, h("span", { "aria-hidden": "true" }, "⚠ "), t("elevated")) : null,
      h("div", { class: "cmd-row" }, h("pre", null, h("code", { id: codeId }, c.run)), btn),
    );
  }

  async function copyText(text, btn) {
    let ok = false;
    try {
      if (navigator.clipboard && window.isSecureContext) {
        await navigator.clipboard.writeText(text);
        ok = true;
      }
    } catch (_) {
      ok = false;
    }
    if (!ok) {
      const ta = h("textarea", { class: "offscreen", "aria-hidden": "true", tabindex: "-1" });
      ta.value = text;
      add(document.body, ta);
      ta.select();
      try {
        ok = document.execCommand("copy");
      } catch (_) {
        ok = false;
      }
      ta.remove();
      btn.focus();
    }
    if (ok) {
      btn.textContent = t("copied");
      announce(t("copiedAnnounce"));
      setTimeout(() => {
        btn.textContent = t("copy");
      }, 2000);
    } else {
      announce(t("copyFailed"));
    }
  }

  function decodeFacts(e) {
    const d = e.decoded || {};
    const fac = e.facility || (d.facility !== undefined ? { number: d.facility, name: d.facility_name } : null);
    const namesOf = (x) => {
      if (x === null || x === undefined) return null;
      if (typeof x !== "object") return String(x);
      const names = Array.isArray(x.names) ? x.names.join(", ") : "";
      return x.code !== undefined ? `${x.code}${names ? ` (${names})` : ""}` : names;
    };
    const sev = e.severity || d.severity;
    return dl([
      [t("hex"), h("span", { class: "mono" }, e.code)],
      [t("signed"), e.signed !== undefined ? h("span", { class: "mono" }, String(e.signed)) : null],
      [t("unsigned"), e.unsigned !== undefined ? h("span", { class: "mono" }, String(e.unsigned)) : null],
      [t("severity"), sev ? (I18N.en[`sev.${sev}`] ? t(`sev.${sev}`) : sev) : null],
      [t("facility"), fac ? `${fac.number}${fac.name ? ` (${fac.name})` : ""}` : null],
      [t("lowCode"), d.code !== undefined ? String(d.code) : null],
      [t("win32"), namesOf(d.win32)],
      [t("ntstatus"), namesOf(d.ntstatus)],
      [t("otherNames"), Array.isArray(e.other_names) && e.other_names.length ? e.other_names.join(", ") : null],
      [t("coverage"), e.coverage ? (I18N.en[`coverage.${e.coverage}`] ? t(`coverage.${e.coverage}`) : e.coverage) : null],
    ]);
  }

  function sourceItem(src) {
    const bits = [src.publisher, src.date, src.location].filter(Boolean).join(" · ");
    let title = src.title || src.tag || "";
    let link = null;
    if (src.url && /^https?:\/\//i.test(src.url)) {
      link = h("a", { href: src.url, rel: "noopener noreferrer external", target: "_blank" }, title);
    }
    return h("li", null, link || title, bits ? [h("br"), h("span", { class: "muted" }, bits)] : null);
  }

  // ---------------------------------------------------------------------------------------------
  // Home: search, paste, upload.
  // ---------------------------------------------------------------------------------------------
  const search = { seq: 0, timer: 0, ctl: null, data: null, loaded: false, all: false };
  const paste = { text: null, data: null, busy: false, again: null };
  const upload = { file: null, data: null, busy: false, again: null };

  const q = h("input", {
    id: "q",
    type: "search",
    autocomplete: "off",
    spellcheck: "false",
    autocapitalize: "off",
    "aria-describedby": "q-hint",
    "aria-controls": "search-results",
  });
  const typeSel = h("select", { id: "type" });
  const searchCount = h("p", { id: "search-count", class: "count", role: "status", "aria-live": "polite" });
  const results = h("ul", { id: "search-results", class: "results", "aria-labelledby": "results-label" });
  const showAllBtn = h("button", { type: "button", id: "show-all", class: "secondary more", hidden: true }, t("showAll", ""));
  const pasteText = h("textarea", { id: "paste-text", rows: "10", spellcheck: "false", autocapitalize: "off", "aria-describedby": "paste-hint" });
  const pasteGo = L("button", "analyse", { type: "submit", id: "paste-go" });
  const pasteOut = h("div", { id: "paste-out", class: "out" });
  const fileInput = h("input", { id: "file", type: "file", accept: ".evtx,.xml,.txt,.log,application/xml,text/xml,text/plain", "aria-describedby": "file-hint" });
  const drop = h("div", { id: "drop", class: "drop" });
  const uploadOut = h("div", { id: "upload-out", class: "out" });
  const prod = { seq: 0, loaded: false };
  const prodQ = h("input", { id: "products-q", type: "search", autocomplete: "off", spellcheck: "false", maxlength: "256" });
  const prodFamily = h("select", { id: "products-family" });
  const prodGvlk = h("input", { id: "products-gvlk", type: "checkbox" });
  const prodOut = h("div", { id: "products-out", class: "out", "aria-live": "polite" });

  function buildHome() {
    const typeOptions = [
      ["", "typeAll"],
      ["mak", "type.mak"],
      ["kms-client", "type.kms-client"],
      ["kms-host", "type.kms-host"],
    ];
    for (const [v, k] of typeOptions) add(typeSel, L("option", k, { value: v }));

    const searchForm = h(
      "form",
      { role: "search", id: "search-form", class: "search-form", "aria-labelledby": "search-h" },
      h("div", { class: "field grow" }, L("label", "qLabel", { for: "q" }), q, L("p", "qHint", { id: "q-hint", class: "hint" })),
      h("div", { class: "field" }, L("label", "typeLabel", { for: "type" }), typeSel),
    );
    searchForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      goFromQuery();
    });
    q.addEventListener("input", () => {
      clearTimeout(search.timer);
      search.timer = setTimeout(runSearch, 180);
    });
    q.addEventListener("keydown", (ev) => {
      if (ev.key === "ArrowDown") {
        const first = results.querySelector("a");
        if (first) {
          ev.preventDefault();
          first.focus();
        }
      }
    });
    typeSel.addEventListener("change", runSearch);
    showAllBtn.addEventListener("click", () => {
      search.all = true;
      const n = results.querySelectorAll("a").length;
      renderSearch();
      const next = results.querySelectorAll("a")[n];
      if (next) next.focus();
    });
    results.addEventListener("keydown", (ev) => {
      const links = Array.from(results.querySelectorAll("a"));
      const i = links.indexOf(document.activeElement);
      if (i < 0) return;
      let to = null;
      if (ev.key === "ArrowDown") to = links[Math.min(links.length - 1, i + 1)];
      else if (ev.key === "ArrowUp") to = i === 0 ? q : links[i - 1];
      else if (ev.key === "Home") to = links[0];
      else if (ev.key === "End") to = links[links.length - 1];
      else if (ev.key === "Escape") to = q;
      if (to) {
        ev.preventDefault();
        to.focus();
      }
    });

    const pasteForm = h(
      "form",
      { id: "paste-form", "aria-labelledby": "paste-h" },
      h("div", { class: "field" }, L("label", "pasteLabel", { for: "paste-text" }), pasteText, L("p", "pasteHint", { id: "paste-hint", class: "hint" })),
      h(
        "div",
        { class: "buttons" },
        pasteGo,
        L("button", "clear", {
          type: "button",
          id: "paste-clear",
          class: "secondary",
          on: {
            click: () => {
              pasteText.value = "";
              paste.data = null;
              paste.text = null;
              clear(pasteOut);
              pasteText.focus();
            },
          },
        }),
      ),
    );
    pasteForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      runPaste(pasteText.value, true);
    });
    pasteText.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        runPaste(pasteText.value, true);
      }
    });

    add(drop, 
      L("label", "fileLabel", { for: "file", class: "drop-label" }),
      fileInput,
      L("p", "fileHint", { id: "file-hint", class: "hint" }),
      L("p", "dropHere", { class: "drop-active-note", "aria-hidden": "true" }),
    );
    fileInput.addEventListener("change", () => {
      if (fileInput.files && fileInput.files[0]) runUpload(fileInput.files[0], true);
    });
    for (const ev of ["dragenter", "dragover"]) {
      drop.addEventListener(ev, (e) => {
        e.preventDefault();
        drop.classList.add("dragging");
      });
    }
    for (const ev of ["dragleave", "dragend"]) drop.addEventListener(ev, () => drop.classList.remove("dragging"));
    drop.addEventListener("drop", (e) => {
      e.preventDefault();
      drop.classList.remove("dragging");
      const f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) runUpload(f, true);
    });
    // A file dropped next to the box must not replace the page.
    window.addEventListener("dragover", (e) => e.preventDefault());
    window.addEventListener("drop", (e) => e.preventDefault());

    for (const f of ["all", "windows", "server", "office"]) add(prodFamily, L("option", `family.${f}`, { value: f === "all" ? "" : f }));
    const prodForm = h(
      "form",
      { role: "search", id: "products-form", class: "search-form", "aria-labelledby": "products-h" },
      h("div", { class: "field grow" }, L("label", "productsQLabel", { for: "products-q" }), prodQ),
      h("div", { class: "field" }, L("label", "productsFamily", { for: "products-family" }), prodFamily),
      h("div", { class: "field" }, h("label", { for: "products-gvlk" }, prodGvlk, " ", L("span", "productsGvlk"))),
      h("div", { class: "buttons" }, L("button", "productsGo", { type: "submit", id: "products-go" })),
    );
    prodForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      runProducts();
    });

    add(home, 
      L("h1", "homeH", { tabindex: "-1" }),
      L("p", "homeIntro", { class: "intro" }),
      h(
        "section",
        { id: "search", class: "panel", "aria-labelledby": "search-h" },
        L("h2", "searchH", { id: "search-h" }),
        searchForm,
        L("p", "resultsLabel", { id: "results-label", class: "sr-only" }),
        searchCount,
        results,
        showAllBtn,
      ),
      h("section", { id: "paste", class: "panel", "aria-labelledby": "paste-h" }, L("h2", "pasteH", { id: "paste-h" }), pasteForm, pasteOut),
      h(
        "section",
        { id: "upload", class: "panel", "aria-labelledby": "upload-h" },
        L("h2", "uploadH", { id: "upload-h" }),
        L("p", "uploadIntro"),
        drop,
        uploadOut,
      ),
      h("section", { id: "products", class: "panel", "aria-labelledby": "products-h" }, L("h2", "productsH", { id: "products-h" }), L("p", "productsIntro"), prodForm, prodOut),
    );
  }

  // --- products -------------------------------------------------------------------------------
  async function runProducts() {
    const seq = ++prod.seq;
    prodOut.setAttribute("aria-busy", "true");
    try {
      const data = await api(
        "GET",
        withLang("/api/v1/products", { q: prodQ.value.trim(), family: prodFamily.value, gvlk: prodGvlk.checked ? "1" : "" }),
      );
      if (seq !== prod.seq) return;
      prod.loaded = true;
      hideError();
      renderProducts(data);
    } catch (err) {
      if (seq === prod.seq) showError(err);
    } finally {
      if (seq === prod.seq) prodOut.removeAttribute("aria-busy");
    }
  }

  function hostKeyItem(g) {
    const hosts = (Array.isArray(g.hosts) ? g.hosts : []).map((x) => (x.update ? `${x.os} (${t("needsUpdate", x.update)})` : x.os));
    return h("li", null, g.name, hosts.length ? [": ", hosts.join("; ")] : null);
  }

  function renderProducts(data) {
    clear(prodOut);
    const list = Array.isArray(data.products) ? data.products : [];
    add(prodOut, h("p", { id: "products-count", class: "count", role: "status" }, t("productsCount", list.length)));
    if (!list.length) return;
    const rows = list.map((p) => [
      [h("span", { class: "p-name" }, p.name), p.note ? h("p", { class: "muted" }, p.note) : null],
      p.activation_id
        ? [h("span", { class: "mono" }, p.activation_id), p.activation_id_third_party ? [" ", h("span", { class: "muted" }, `(${t("thirdParty")})`)] : null]
        : "",
      String(p.kms_count),
      h("span", { class: "mono" }, p.gvlk || p.gvlk_tail),
      Array.isArray(p.host_keys) && p.host_keys.length ? h("ul", { class: "hosts" }, p.host_keys.map(hostKeyItem)) : t("hostsNone"),
    ]);
    add(
      prodOut,
      table(t("productsCaption"), [t("colProduct"), t("colActId"), t("colCount"), t(data.gvlk ? "colKey" : "colTail"), t("colHosts")], rows, {
        cls: "products",
        rowHeader: true,
        quiet: true,
      }),
    );
  }

  // --- search ---------------------------------------------------------------------------------
  async function runSearch() {
    clearTimeout(search.timer);
    const seq = ++search.seq;
    if (search.ctl) search.ctl.abort();
    const ctl = new AbortController();
    search.ctl = ctl;
    results.setAttribute("aria-busy", "true");
    const query = q.value.trim();
    try {
      const byName = looksLikeName(query)
        ? api("GET", withLang(`/api/v1/codes/${encodeURIComponent(query)}`), { signal: ctl.signal }).catch(() => null)
        : Promise.resolve(null);
      const [data, named] = await Promise.all([api("GET", withLang("/api/v1/codes", { q: query, type: typeSel.value }), { signal: ctl.signal }), byName]);
      if (seq !== search.seq) return;
      search.data = { data, query, named: named && typeof named.code === "string" ? named.code : null };
      search.loaded = true;
      renderSearch();
    } catch (err) {
      if (seq === search.seq) showError(err);
    } finally {
      if (seq === search.seq) results.removeAttribute("aria-busy");
    }
  }

  const MAX_RESULTS = 100;
  const BROWSE_RESULTS = 12;

  function renderSearch() {
    if (!search.data) return;
    const { data, query } = search.data;
    let list = Array.isArray(data.codes) ? data.codes : Array.isArray(data.results) ? data.results : [];
    const total = typeof data.total === "number" ? data.total : list.length;
    const asCode = codeFromQuery(query) || (search.data.named ? { path: search.data.named, canonical: search.data.named } : null);
    list = list.slice();
    let direct = null;
    if (asCode && asCode.canonical) {
      const i = list.findIndex((x) => x.code === asCode.canonical);
      if (i > 0) list.unshift(list.splice(i, 1)[0]);
      if (i < 0) direct = asCode.canonical;
    } else if (asCode) {
      direct = asCode.path;
    } else if (/_/.test(query)) {
      const i = list.findIndex((x) => x.name && x.name.toLowerCase() === query.toLowerCase());
      if (i > 0) list.unshift(list.splice(i, 1)[0]);
    }
    // Without a query the whole catalogue matches: show its start and a button for the rest.
    const browsing = query === "" && !search.all;
    const shown = list.slice(0, browsing ? BROWSE_RESULTS : MAX_RESULTS);
    showAllBtn.hidden = !(browsing && list.length > shown.length);
    showAllBtn.textContent = t("showAll", total);
    clear(results);
    if (direct) {
      add(results, 
        h(
          "li",
          { class: "direct" },
          h("a", { href: `/code/${encodeURIComponent(direct)}`, "data-nav": true, class: "result" }, h("span", { class: "r-msg" }, t("openCode", direct))),
        ),
      );
    }
    for (const x of shown) {
      add(results, 
        h(
          "li",
          null,
          h(
            "a",
            { href: `/code/${encodeURIComponent(x.code)}`, "data-nav": true, class: "result" },
            h("span", { class: "r-head" }, h("span", { class: "mono r-code" }, x.code), x.name ? h("span", { class: "mono r-name" }, x.name) : null),
            h("span", { class: "r-msg" }, x.message || x.summary || ""),
            Array.isArray(x.activation_types) && x.activation_types.length
              ? h("span", { class: "r-types" }, x.activation_types.map((a) => (I18N.en[`type.${a}`] ? t(`type.${a}`) : a)).join(" · "))
              : null,
          ),
        ),
      );
    }
    // The code the query names is a match too, listed first even when no text matched it.
    const extra = direct ? 1 : 0;
    searchCount.textContent = t("resultsCount", total + extra, Math.min(total, shown.length) + extra);
  }

  async function goFromQuery() {
    const query = q.value.trim();
    const asCode = codeFromQuery(query);
    if (asCode) {
      navigate(`/code/${encodeURIComponent(asCode.canonical || asCode.path)}`);
      return;
    }
    if (!search.data || search.data.query !== query || search.data.data.lang !== undefined && search.data.data.lang !== lang) {
      await runSearch();
    }
    const first = results.querySelector("a");
    if (first) navigate(new URL(first.href).pathname);
  }

  // --- paste ----------------------------------------------------------------------------------
  async function runPaste(text, focusResults) {
    if (paste.busy) {
      // A language switch while the analysis runs: ask again once it is done.
      if (!focusResults) paste.again = text;
      return;
    }
    if (!text.trim()) {
      showMessage(t("pasteEmpty"));
      pasteText.focus();
      return;
    }
    if (new Blob([text]).size > MAX_TEXT) {
      showMessage(t("pasteTooBig"));
      return;
    }
    paste.busy = true;
    pasteGo.disabled = true;
    pasteOut.setAttribute("aria-busy", "true");
    clear(pasteOut);
    add(pasteOut, L("p", "analysing", { class: "muted" }));
    try {
      const data = await api("POST", withLang("/api/v1/analyze"), {
        body: text,
        headers: { "Content-Type": "text/plain; charset=utf-8" },
      });
      paste.data = data;
      paste.text = text;
      hideError();
      const summary = Array.isArray(data.summary) ? data.summary : [];
      const expl = await explainAll(summary.slice(0, 12).map((c) => c.code));
      paste.expl = expl;
      renderPaste(focusResults);
      announce(t("announceResults", summary.length, Array.isArray(data.snapshots) ? data.snapshots.length : 0));
    } catch (err) {
      clear(pasteOut);
      showError(err);
    } finally {
      paste.busy = false;
      pasteGo.disabled = false;
      pasteOut.removeAttribute("aria-busy");
      if (paste.again !== null) {
        const again = paste.again;
        paste.again = null;
        runPaste(again, false);
      }
    }
  }

  async function explainAll(codes) {
    const out = new Map();
    await Promise.all(
      codes.map(async (c) => {
        try {
          const d = await api("GET", withLang(`/api/v1/codes/${encodeURIComponent(c)}`));
          out.set(c, Array.isArray(d.results) ? d.results[0] : d);
        } catch (_) {
          // The summary line still says what the code means.
        }
      }),
    );
    return out;
  }

  function renderPaste(focusResults) {
    const d = paste.data;
    if (!d) return;
    clear(pasteOut);
    const summary = Array.isArray(d.summary) ? d.summary : [];
    const snaps = Array.isArray(d.snapshots) ? d.snapshots : [];
    const events = Array.isArray(d.events) ? d.events : [];
    const tot = d.totals || {};
    const hd = L("h3", "results", { tabindex: "-1" });
    add(pasteOut, hd);
    add(pasteOut, 
      h("h4", null, t("counts")),
      dl(
        [
          [t("linesRead"), num(tot.lines)],
          [t("codesFound"), num(tot.matches)],
          [t("distinctCodes"), num(tot.distinct_codes)],
          [t("snapshotsFound"), num(tot.snapshots)],
          [t("eventsFound"), num(tot.events)],
          [t("eventProblems"), tot.event_problems ? num(tot.event_problems) : null],
          [t("inputsSkipped"), tot.skipped ? num(tot.skipped) : null],
          [t("inputErrors"), tot.errors ? num(tot.errors) : null],
        ],
        "stats",
      ),
    );
    for (const inp of Array.isArray(d.inputs) ? d.inputs : []) {
      if (inp.error) add(pasteOut, h("p", { class: "notice" }, inp.error));
    }
    if (!summary.length && !snaps.length && !events.length) add(pasteOut, h("p", { class: "notice" }, t("nothingFound")));

    if (summary.length) {
      add(pasteOut, h("h4", null, t("foundCodes")));
      const ul = h("ul", { class: "found" });
      for (const c of summary) {
        const e = paste.expl && paste.expl.get(c.code);
        const body = e ? explanationBody(e, 6, false) : null;
        add(ul, 
          h(
            "li",
            { class: "found-code" },
            h("h5", null, codeLink(c.code, c.name), " ", sevTag(c.severity)),
            h("p", null, c.meaning || ""),
            c.first ? h("p", { class: "muted" }, t("seen", c.count, c.first.line, c.first.column)) : null,
            body && (e.causes?.length || e.steps?.length || e.commands?.length) ? h("details", null, h("summary", null, t("explanation")), body) : null,
          ),
        );
      }
      add(pasteOut, ul);
    }

    if (snaps.length) {
      add(pasteOut, h("h4", null, t("snapshots")));
      for (const sn of snaps) add(pasteOut, snapshotCard(sn));
    }

    if (events.length) {
      add(pasteOut, h("h4", null, t("eventsH")));
      add(pasteOut, 
        table(
          t("eventsH"),
          [t("line"), t("time"), t("eventId"), t("computer"), t("code"), t("details")],
          events.slice(0, 500).map((ev) => {
            const e = ev.event || {};
            const d = e.data || {};
            return [
              String(ev.line ?? ""),
              fmtTime(e.time),
              String(e.id ?? ""),
              e.computer || "",
              typeof d.code === "string" ? codeLink(d.code) : "",
              eventDetails(d),
            ];
          }),
          { quiet: true, cls: "events" },
        ),
      );
    }
    const problems = Array.isArray(d.event_problems) ? d.event_problems : [];
    if (problems.length) {
      add(pasteOut, 
        h("h4", null, t("eventProblems")),
        h(
          "ul",
          null,
          problems.slice(0, 200).map((p) => h("li", null, t("problemAt", p.line, p.id), " ", p.reason || "")),
        ),
      );
    }

    add(pasteOut, textView(paste.text, Array.isArray(d.matches) ? d.matches : [], snaps));
    if (focusResults) hd.focus();
  }

  // The parts of an event's data worth a glance, as "label: value" text.
  function eventDetails(d) {
    const parts = [];
    if (d.kms && d.kms.host) parts.push(`${t("host")}: ${d.kms.host}${d.kms.port ? `:${d.kms.port}` : ""}`);
    if (typeof d.activated === "boolean") parts.push(`${t("activated")}: ${yesNo(d.activated)}`);
    if (typeof d.current_count === "number") parts.push(`${t("currentCount")}: ${d.current_count}`);
    if (typeof d.min_count === "number") parts.push(`${t("minCount")}: ${d.min_count}`);
    if (d.domain) parts.push(`${t("domain")}: ${d.domain}`);
    if (d.client_name) parts.push(`${t("clientName")}: ${d.client_name}`);
    if (d.cmid) parts.push(`${t("cmid")}: ${d.cmid}`);
    if (d.license_state && d.license_state.name) {
      const ls = d.license_state;
      parts.push(`${t("licenseState")}: ${ls.label || (I18N.en[`ls.${ls.name}`] ? t(`ls.${ls.name}`) : ls.name)}`);
    }
    return parts.join(" · ");
  }

  function snapshotCard(sn) {
    const f = (k, v) => [t(`f.${k}`), v];
    const card = h("section", { class: "snapshot card" });
    add(card, h("h5", null, t("snapshotH", sn.line, sn.end_line ?? sn.line, sn.name || "")));
    const diag = Array.isArray(sn.diagnosis) ? sn.diagnosis : [];
    if (diag.length) {
      add(card, 
        h("p", { class: "label" }, t("diagnosis")),
        h(
          "ul",
          { class: "diagnosis" },
          diag.map((x) => h("li", { class: `diag diag-${String(x.severity).replace(/[^a-z]/g, "")}` }, sevTag(x.severity), " ", x.message || "", x.code ? [" ", codeLink(x.code)] : null)),
        ),
      );
    }
    const fields = [
      "name",
      "description",
      "channel",
      "service_version",
      "activation_id",
      "application_id",
      "extended_pid",
      "product_key_channel",
      "partial_product_key",
      "license_status",
      "notification_reason",
      "expiration",
      "time_remaining",
      "rearm_count",
      "trusted_time",
      "activation_type",
      "xpr",
    ];
    const rows = fields.map((k) => {
      const v = sn[k];
      if (v === null || v === undefined) return f(k, null);
      if (k === "notification_reason") return f(k, codeLink(String(v)));
      return f(k, String(v));
    });
    if (sn.asks_for_ato) rows.push(f("asks_for_ato", t("yes")));
    add(card, dl(rows));
    const sub = (titleKey, obj, keys) => {
      if (!obj || typeof obj !== "object") return;
      const r = keys.map((k) => {
        const v = obj[k];
        if (v === null || v === undefined) return f(k, null);
        if (typeof v === "boolean") return f(k, yesNo(v));
        if (k === "requests_by_status" && Array.isArray(v)) {
          return f(k, v.length ? h("ul", { class: "plain" }, v.map((p) => h("li", null, Array.isArray(p) ? `${p[0]}: ${num(p[1])}` : JSON.stringify(p)))) : null);
        }
        return f(k, fieldValue(k, v));
      });
      add(card, h("p", { class: "label" }, t(titleKey)), dl(r));
    };
    sub("kmsClient", sn.kms_client, [
      "cmid",
      "registered_kms_name",
      "srv_lookup_domain",
      "kms_name_from_dns",
      "dns_discovery_failed",
      "kms_ip",
      "kms_extended_pid",
      "activation_interval_minutes",
      "renewal_interval_minutes",
      "host_caching",
    ]);
    sub("kmsHost", sn.kms_host, ["current_count", "listening_port", "dns_publishing", "priority", "total_requests", "failed_requests", "requests_by_status"]);
    return card;
  }

  // Masks product keys (5×5 groups) in what the page shows back, keeping the last five characters:
  // also full-width ones, keys glued to other text, and keys with spaces or tabs around the dashes.
  const KEY_CH = "[A-Za-z0-9\\uFF10-\\uFF19\\uFF21-\\uFF3A\\uFF41-\\uFF5A]";
  const KEY_DASH = "[ \\t\\u3000]*[-\\u2010-\\u2015\\u2212\\uFE58\\uFE63\\uFF0D\\u30FC][ \\t\\u3000]*";
  const KEY_RE = new RegExp(`(?:${KEY_CH}{5}${KEY_DASH}){4}${KEY_CH}{5}`, "g");
  const KEY_CH_RE = new RegExp(KEY_CH);
  function maskKeys(line) {
    return line.replace(KEY_RE, (k) => {
      const chars = Array.from(k);
      let keep = 5;
      for (let i = chars.length - 1; i >= 0; i--) {
        if (!KEY_CH_RE.test(chars[i])) continue;
        if (keep > 0) keep--;
        else chars[i] = "*";
      }
      return chars.join("");
    });
  }

  const MAX_TEXT_LINES = 3000;

  function textView(text, matches, snaps) {
    const lines = String(text || "").split(/\r\n|\r|\n/);
    const hits = new Map();
    for (const m of matches) {
      if (!hits.has(m.line)) hits.set(m.line, []);
      if (!hits.get(m.line).includes(m.code)) hits.get(m.line).push(m.code);
    }
    const inSnap = new Set();
    for (const sn of snaps) for (let i = sn.line; i <= (sn.end_line ?? sn.line); i++) inSnap.add(i);
    const shown = Math.min(lines.length, MAX_TEXT_LINES);
    const pre = h("pre", { class: "text-view" });
    for (let i = 0; i < shown; i++) {
      const n = i + 1;
      const codes = hits.get(n);
      const row = h(
        "span",
        { class: `tl${codes ? " hit" : ""}${inSnap.has(n) ? " snap" : ""}` },
        h("span", { class: "ln", "aria-hidden": "true" }, String(n).padStart(4, " ")),
        h("span", { class: "lt" }, maskKeys(lines[i])),
        codes ? h("span", { class: "tag" }, codes.join(" ")) : null,
        "\n",
      );
      add(pre, row);
    }
    return h(
      "section",
      { class: "text-section" },
      h("h4", null, t("textH")),
      h("p", { class: "muted" }, t("textNote", shown, lines.length)),
      h("div", { class: "text-wrap", tabindex: "0", role: "region", "aria-label": t("textRegion") }, pre),
    );
  }

  // --- upload ---------------------------------------------------------------------------------
  async function runUpload(file, focusResults) {
    if (upload.busy) {
      if (!focusResults) upload.again = file;
      return;
    }
    if (file.size > MAX_UPLOAD) {
      showMessage(t("fileTooBig"));
      return;
    }
    upload.busy = true;
    uploadOut.setAttribute("aria-busy", "true");
    clear(uploadOut);
    add(uploadOut, h("p", { class: "muted" }, t("uploading", file.name)));
    try {
      const fd = new FormData();
      fd.append("file", file, file.name);
      const data = await api("POST", withLang("/api/v1/events"), { body: fd });
      upload.file = file;
      upload.data = data;
      hideError();
      renderUpload(focusResults);
      announce(t("announceReport"));
    } catch (err) {
      clear(uploadOut);
      showError(err);
    } finally {
      upload.busy = false;
      uploadOut.removeAttribute("aria-busy");
      if (upload.again !== null) {
        const again = upload.again;
        upload.again = null;
        runUpload(again, false);
      }
    }
  }

  function codeCell(c) {
    if (!c || !c.code) return "";
    return h("span", null, codeLink(c.code, c.name));
  }

  function renderUpload(focusResults) {
    const r = upload.data;
    if (!r) return;
    clear(uploadOut);
    const name = (Array.isArray(r.inputs) && r.inputs[0] && r.inputs[0].name) || (upload.file && upload.file.name) || "";
    const hd = h("h3", { tabindex: "-1" }, t("reportFor", name));
    add(uploadOut, hd);

    const att = Array.isArray(r.attention) ? r.attention : [];
    if (att.length) {
      add(uploadOut, 
        h(
          "div",
          { class: "attention card" },
          h("p", { class: "label" }, t("attention")),
          h("ul", null, att.map((a) => h("li", null, I18N.en[`att.${a}`] ? t(`att.${a}`) : a))),
        ),
      );
    }

    const st = r.stats || {};
    const skipped = Array.isArray(st.skipped) ? st.skipped : [];
    const kinds = (Array.isArray(r.inputs) ? r.inputs : []).map((i) => i.kind).filter(Boolean);
    add(uploadOut, 
      h("h4", null, t("counts")),
      dl(
        [
          [t("recordsRead"), num(st.records_read)],
          [t("eventsUsed"), num(st.events_used)],
          [t("recordsSkipped"), num(st.records_skipped)],
          [t("skippedWhy"), skipped.length ? h("ul", { class: "plain" }, skipped.map((x) => h("li", null, `${x.label || x.reason}: ${num(x.count)}`))) : null],
          [t("damagedChunks"), st.damaged_chunks ? num(st.damaged_chunks) : null],
          [t("period"), st.oldest || st.newest ? `${fmtTime(st.oldest)} – ${fmtTime(st.newest)}` : null],
          [t("inputKind"), kinds.join(", ")],
        ],
        "stats",
      ),
    );
    for (const inp of Array.isArray(r.inputs) ? r.inputs : []) if (inp.error) add(uploadOut, h("p", { class: "notice" }, inp.error));
    const warnings = Array.isArray(r.warnings) ? r.warnings : [];
    if (warnings.length) {
      const more = (r.warnings_total || warnings.length) - warnings.length;
      add(uploadOut, 
        h("h4", null, t("warnings")),
        h("ul", { class: "warnings" }, warnings.map((w) => h("li", null, String(w))), more > 0 ? h("li", null, t("moreWarnings", more)) : null),
      );
    }

    if (r.host) add(uploadOut, hostReport(r.host));
    if (r.client) add(uploadOut, clientReport(r.client));
    if (!r.host && !r.client && !r.spp && !(r.slui_failures || []).length) add(uploadOut, h("p", { class: "notice" }, t("noActivation")));

    const slui = Array.isArray(r.slui_failures) ? r.slui_failures : [];
    if (slui.length) {
      add(uploadOut, 
        h("h4", null, t("sluiH")),
        table(
          `${t("sluiH")} (${num(r.slui_failures_total ?? slui.length)})`,
          [t("time"), t("computer"), t("code")],
          slui.slice(0, 500).map((x) => [fmtTime(x.time), x.computer || "", codeCell(x.code)]),
        ),
      );
    }
    const other = Array.isArray(r.other_codes) ? r.other_codes : [];
    if (other.length) {
      add(uploadOut, 
        h("h4", null, t("otherCodesH")),
        h(
          "ul",
          null,
          other.map((o) => {
            const c = o.code && typeof o.code === "object" ? o.code : o;
            return h("li", null, codeLink(c.code, c.name), c.summary ? ` ${c.summary}` : "", c.count !== undefined ? ` (${num(c.count)})` : "");
          }),
        ),
      );
    }
    if (focusResults) hd.focus();
  }

  function hostReport(hv) {
    const sec = h("section", { class: "host-report" }, h("h4", null, t("hostH")));
    add(sec, h("p", null, t("hostTotals", num(hv.requests), num(hv.clients_total))));
    const c = hv.count;
    if (c) {
      const meterId = nextId("meter");
      add(sec, 
        h(
          "div",
          { class: "count card" },
          h("h5", null, t("countH")),
          h("p", { class: "big" }, t("countValue", num(c.count))),
          h("label", { for: meterId, class: "sr-only" }, t("countMeter")),
          h("meter", { id: meterId, min: "0", max: String(c.cap || 50), low: String(c.server_threshold || 5), high: String(c.client_threshold || 25), optimum: String(c.cap || 50), value: String(c.count) }, `${c.count}`),
          h(
            "ul",
            { class: "thresholds" },
            h("li", { class: c.client_os_activates ? "ok" : "bad" }, h("span", { class: "mark", "aria-hidden": "true" }, c.client_os_activates ? "✓ " : "✗ "), t("threshold", t("clientOs"), c.client_threshold, c.client_os_activates)),
            h("li", { class: c.server_os_activates ? "ok" : "bad" }, h("span", { class: "mark", "aria-hidden": "true" }, c.server_os_activates ? "✓ " : "✗ "), t("threshold", t("serverOs"), c.server_threshold, c.server_os_activates)),
          ),
          h("p", { class: "muted" }, t("countExplain", num(c.distinct_cmids), fmtTime(c.window_start), fmtTime(c.now), c.cap)),
          h("p", { class: "muted" }, t("osSplit", num(c.client_os), num(c.server_os), c.unknown_os ? num(c.unknown_os) : 0)),
        ),
      );
    }

    if (Array.isArray(hv.per_day) && hv.per_day.length) {
      add(sec, h("h5", null, t("chartH")), chart(hv.per_day, hv.per_day_omitted || 0));
    }

    // Failing clients: the last answer was not success, or any answer was an error.
    const clients = Array.isArray(hv.clients) ? hv.clients : [];
    const failing = clients.filter(
      (x) => (x.last_code && x.last_code.code !== SUCCESS) || (Array.isArray(x.codes) && x.codes.some((k) => k.code !== SUCCESS)),
    );
    failing.sort((a, b) => {
      const la = a.last_code && a.last_code.code !== SUCCESS ? 0 : 1;
      const lb = b.last_code && b.last_code.code !== SUCCESS ? 0 : 1;
      if (la !== lb) return la - lb;
      return String(b.last_seen || "").localeCompare(String(a.last_seen || ""));
    });
    add(sec, h("h5", null, t("failingH")));
    if (!failing.length) {
      add(sec, h("p", { class: "ok-note" }, t("failingNone")));
    } else {
      const shown = failing.slice(0, 500);
      add(sec, 
        table(
          t("failingCaption", failing.length, shown.length),
          [t("clientName"), t("cmid"), t("lastRequest"), t("lastCode"), t("licenseState"), t("requests"), t("failures")],
          shown.map((x) => ({
            cls: x.last_code && x.last_code.code !== SUCCESS ? "failing" : null,
            cells: [
              x.name || "",
              h("span", { class: "mono" }, x.cmid || ""),
              fmtTime(x.last_seen),
              codeCell(x.last_code),
              x.license_state ? x.license_state.label || x.license_state.name || "" : "",
              num(x.requests),
              num((x.codes || []).filter((k) => k.code !== SUCCESS).reduce((n, k) => n + (k.count || 0), 0)),
            ],
          })),
          { cls: "failing-clients", rowHeader: true },
        ),
      );
    }

    const codes = Array.isArray(hv.codes) ? hv.codes : [];
    if (codes.length) {
      add(sec, 
        h("h5", null, t("codesH")),
        table(t("codesH"), [t("code"), t("meaning"), t("count")], codes.map((k) => [codeCell(k), k.summary || "", num(k.count)]), { cls: "codes", quiet: true }),
      );
    }

    const skewed = Array.isArray(hv.skewed) ? hv.skewed : [];
    if (skewed.length) {
      add(sec, 
        h("h5", null, t("skewH")),
        table(
          `${t("skewH")} (${num(skewed.length)})`,
          [t("clientName"), t("cmid"), t("skewCol"), t("skewRequests")],
          skewed.map((x) => [x.name || "", h("span", { class: "mono" }, x.cmid || ""), fmtSkew(x.max_skew_secs), num(x.requests)]),
          { rowHeader: true, quiet: true },
        ),
      );
    }

    const cloned = Array.isArray(hv.cloned) ? hv.cloned : [];
    if (cloned.length) {
      add(sec, 
        h("h5", null, t("clonesH")),
        table(
          `${t("clonesH")} (${num(cloned.length)})`,
          [t("cmid"), t("names")],
          cloned.map((x) => [
            h("span", { class: "mono" }, x.cmid || ""),
            [(x.names || []).join(", "), x.names_total && x.names_total > (x.names || []).length ? ` ${t("namesMore", num(x.names_total))}` : ""],
          ]),
          { rowHeader: true, quiet: true },
        ),
      );
    }

    const dns = Array.isArray(hv.dns_failures) ? hv.dns_failures : [];
    if (dns.length || hv.dns_published) {
      add(sec, h("h5", null, t("dnsH")));
      if (hv.dns_published) add(sec, h("p", null, t("dnsPublished", num(hv.dns_published))));
      if (dns.length) {
        add(sec, 
          h("p", null, t("dnsFailures", num(hv.dns_failures_total ?? dns.length))),
          table(t("dnsH"), [t("time"), t("computer"), t("domain"), t("code")], dns.slice(0, 500).map((x) => [fmtTime(x.time), x.computer || "", x.domain || "", codeCell(x.code)]), { quiet: true }),
        );
      }
    }
    return sec;
  }

  function fmtSkew(secs) {
    if (typeof secs !== "number") return "";
    const a = Math.abs(secs);
    const hrs = Math.floor(a / 3600);
    const min = Math.floor((a % 3600) / 60);
    const sign = secs < 0 ? "−" : "+";
    return `${sign}${hrs} h ${String(min).padStart(2, "0")} min (${secs < 0 ? t("behind") : t("ahead")})`;
  }

  function clientReport(cv) {
    const sec = h("section", { class: "client-report" }, h("h4", null, t("clientH")));
    add(sec, 
      dl(
        [
          [t("attempts"), num(cv.attempts_total)],
          [t("activated"), num(cv.activated)],
          [t("failed"), num(cv.failed)],
          [t("noResponse"), num(cv.no_response)],
          [t("orphanResponses"), cv.responses_without_request ? num(cv.responses_without_request) : null],
          [t("lastCount"), cv.last_current_count !== null && cv.last_current_count !== undefined ? num(cv.last_current_count) : null],
        ],
        "stats",
      ),
    );
    const hosts = Array.isArray(cv.hosts) ? cv.hosts : [];
    if (hosts.length) {
      add(sec, 
        h("h5", null, t("hostsContacted")),
        table(
          t("hostsContacted"),
          [t("host"), t("attempts"), t("activated"), t("failed"), t("noResponse"), t("lastCount")],
          hosts.map((x) => [x.kms || "", num(x.attempts), num(x.activated), num(x.failed), num(x.no_response), x.last_current_count ?? ""]),
          { rowHeader: true, quiet: true },
        ),
      );
    }
    const codes = Array.isArray(cv.codes) ? cv.codes : [];
    if (codes.length) {
      add(sec, h("h5", null, t("codesH")), table(t("codesH"), [t("code"), t("meaning"), t("count")], codes.map((k) => [codeCell(k), k.summary || "", num(k.count)]), { quiet: true }));
    }
    const attempts = Array.isArray(cv.attempts) ? cv.attempts : [];
    if (attempts.length) {
      const shown = attempts.slice(-300).reverse();
      const note = t("attemptsNote", shown.length, attempts.length);
      add(sec, 
        h("h5", null, t("attemptsH")),
        note ? h("p", { class: "muted" }, note) : null,
        table(
          t("attemptsH"),
          [t("time"), t("host"), t("requestCode"), t("responseCode"), t("outcome"), t("currentCount")],
          shown.map((a) => {
            const resp = a.response || {};
            const kms = a.kms ? `${a.kms.host}${a.kms.port ? `:${a.kms.port}` : ""}` : "";
            const oc = a.outcome ? (I18N.en[`oc.${a.outcome}`] ? t(`oc.${a.outcome}`) : a.outcome) : "";
            return {
              cls: a.outcome === "activated" ? null : "failing",
              cells: [
                fmtTime(a.time),
                kms,
                a.request_code ? codeLink(a.request_code) : "",
                resp.code ? codeLink(resp.code) : "",
                h("span", { class: `oc oc-${a.outcome || "x"}` }, oc),
                resp.current_count ?? "",
              ],
            };
          }),
          { quiet: true },
        ),
      );
    }
    return sec;
  }

  // --- the per-day chart ----------------------------------------------------------------------
  const SERIES = [
    ["activated", "p-activated"],
    ["count_too_low", "p-low"],
    ["failed", "p-failed"],
    ["other", "p-other"],
  ];

  function niceMax(v) {
    if (v <= 5) return 5;
    const p = 10 ** Math.floor(Math.log10(v));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
    return 10 * p;
  }

  function chart(perDay, omitted) {
    const days = perDay.map((d) => {
      const a = d.activated || 0;
      const low = d.count_too_low || 0;
      const f = d.failed || 0;
      return { date: d.date, requests: d.requests || 0, activated: a, count_too_low: low, failed: f, other: Math.max(0, (d.requests || 0) - a - low - f) };
    });
    const sum = (k) => days.reduce((n, d) => n + d[k], 0);
    const tot = { requests: sum("requests"), activated: sum("activated"), count_too_low: sum("count_too_low"), failed: sum("failed"), other: sum("other") };
    const W = 760;
    const H = 300;
    const m = { l: 64, r: 12, t: 14, b: 58 };
    const pw = W - m.l - m.r;
    const ph = H - m.t - m.b;
    const ymax = niceMax(Math.max(1, ...days.map((d) => d.requests)));
    const n = Math.max(1, days.length);
    const band = pw / n;
    const bw = Math.max(1, Math.min(48, band * 0.78));
    const y = (v) => m.t + ph - (v / ymax) * ph;
    const titleId = nextId("chart-title");
    const descId = nextId("chart-desc");
    const first = days.length ? days[0].date : "";
    const last = days.length ? days[days.length - 1].date : "";
    const desc = t("chartDesc", days.length, first, last, num(tot.requests), num(tot.activated), num(tot.count_too_low), num(tot.failed));

    const defs = s(
      "defs",
      null,
      s("pattern", { id: "p-activated", patternUnits: "userSpaceOnUse", width: "8", height: "8" }, s("rect", { class: "pf-activated", width: "8", height: "8" })),
      s(
        "pattern",
        { id: "p-low", patternUnits: "userSpaceOnUse", width: "8", height: "8", patternTransform: "rotate(45)" },
        s("rect", { class: "pb-low", width: "8", height: "8" }),
        s("rect", { class: "pf-low", width: "4", height: "8" }),
      ),
      s(
        "pattern",
        { id: "p-failed", patternUnits: "userSpaceOnUse", width: "6", height: "6" },
        s("rect", { class: "pf-failed", width: "6", height: "6" }),
        s("circle", { class: "pd-failed", cx: "3", cy: "3", r: "1.3" }),
      ),
      s(
        "pattern",
        { id: "p-other", patternUnits: "userSpaceOnUse", width: "8", height: "8" },
        s("rect", { class: "pb-other", width: "8", height: "8" }),
        s("rect", { class: "pf-other", width: "8", height: "3" }),
      ),
    );

    const svg = s("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${titleId} ${descId}`, preserveAspectRatio: "xMidYMid meet" });
    add(svg, s("title", { id: titleId }, t("chartTitle")), s("desc", { id: descId }, desc), defs);

    // Grid and y axis.
    const axis = s("g", { class: "axis y-axis", "aria-hidden": "true" });
    const ticks = 5;
    for (let i = 0; i <= ticks; i++) {
      const v = (ymax / ticks) * i;
      const yy = y(v);
      add(axis, 
        s("line", { class: "grid", x1: m.l, x2: W - m.r, y1: yy, y2: yy }),
        s("text", { x: m.l - 6, y: yy + 4, "text-anchor": "end" }, num(Math.round(v))),
      );
    }
    add(axis, s("text", { class: "axis-title", x: 14, y: m.t + ph / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${m.t + ph / 2})` }, t("axisY")));
    add(svg, axis);

    // Bars: one group per day, segments stacked bottom-up.
    const bars = s("g", { class: "bars" });
    days.forEach((d, i) => {
      const g = s("g", { class: "day", "data-date": d.date });
      add(g, s("title", null, t("dayTitle", d.date, num(d.requests), num(d.activated), num(d.count_too_low), num(d.failed))));
      const x = m.l + i * band + (band - bw) / 2;
      let base = 0;
      for (const [k, pat] of SERIES) {
        const v = d[k];
        if (!v) continue;
        const y0 = y(base);
        let y1 = y(base + v);
        // Keep small but non-zero segments visible (the table has the exact numbers).
        if (y0 - y1 < 1.5) y1 = y0 - 1.5;
        add(g, s("rect", { class: `seg seg-${k}`, x: x.toFixed(2), y: y1.toFixed(2), width: bw.toFixed(2), height: (y0 - y1).toFixed(2), fill: `url(#${pat})` }));
        base += v;
      }
      add(bars, g);
    });
    add(svg, bars);

    // X axis: a label every few days.
    const xa = s("g", { class: "axis x-axis", "aria-hidden": "true" });
    add(xa, s("line", { class: "baseline", x1: m.l, x2: W - m.r, y1: m.t + ph, y2: m.t + ph }));
    const step = Math.max(1, Math.ceil(n / 8));
    days.forEach((d, i) => {
      if (i % step !== 0 && i !== days.length - 1) return;
      if (i === days.length - 1 && i % step !== 0 && (i % step) < step / 2) return;
      const cx = m.l + i * band + band / 2;
      add(xa, s("line", { class: "tick", x1: cx, x2: cx, y1: m.t + ph, y2: m.t + ph + 4 }), s("text", { x: cx, y: m.t + ph + 18, "text-anchor": "middle" }, d.date.slice(5)));
    });
    add(xa, s("text", { class: "axis-title", x: m.l + pw / 2, y: H - 10, "text-anchor": "middle" }, `${t("axisX")}${first ? `, ${first.slice(0, 4)}` : ""}`));
    add(svg, xa);

    const legend = h(
      "ul",
      { class: "legend" },
      SERIES.filter(([k]) => k !== "other" || tot.other > 0).map(([k, pat]) =>
        h(
          "li",
          null,
          s("svg", { class: "swatch", viewBox: "0 0 16 16", width: "16", height: "16", "aria-hidden": "true" }, s("rect", { class: `seg seg-${k}`, width: "16", height: "16", fill: `url(#${pat})` })),
          ` ${t(`out.${k}`)}: ${num(tot[k])}`,
        ),
      ),
    );

    const recent = days.slice(-400).reverse();
    const data = h(
      "details",
      { class: "chart-data" },
      h("summary", null, t("chartTable")),
      recent.length < days.length ? h("p", { class: "muted" }, t("chartTableNote", recent.length)) : null,
      table(
        t("chartTitle"),
        [t("date"), t("requests"), t("out.activated"), t("out.count_too_low"), t("out.failed")],
        recent.map((d) => [d.date, num(d.requests), num(d.activated), num(d.count_too_low), num(d.failed)]),
        { rowHeader: true, cls: "numbers" },
      ),
    );
    return h("figure", { class: "chart-figure" }, h("div", { class: "chart-box" }, svg), legend, omitted ? h("p", { class: "muted" }, t("chartOmitted", num(omitted))) : null, data);
  }

  // ---------------------------------------------------------------------------------------------
  // Language.
  // ---------------------------------------------------------------------------------------------
  const langSel = document.getElementById("lang");

  function applyLang() {
    document.documentElement.lang = lang;
    langSel.value = lang;
    for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
    for (const el of document.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  }

  function setLang(v) {
    if (!LANGS.includes(v) || v === lang) return;
    lang = v;
    try {
      localStorage.setItem("volact.lang", v);
    } catch (_) {
      // Private mode: the choice lasts for this page only.
    }
    applyLang();
    if (new URLSearchParams(location.search).has("lang")) history.replaceState(null, "", withUrlLang(location.href));
    announce(t("announceLang"));
    // Everything the server wrote in the old language is asked for again.
    if (current === "code") {
      route(false);
    } else {
      document.title = t("titleHome");
    }
    if (search.loaded) runSearch();
    if (prod.loaded) runProducts();
    if (paste.text !== null) runPaste(paste.text, false);
    if (upload.file) runUpload(upload.file, false);
  }

  // ---------------------------------------------------------------------------------------------
  // Start.
  // ---------------------------------------------------------------------------------------------
  function start() {
    clear(main);
    buildHome();
    add(main, home, codeView);
    applyLang();
    langSel.addEventListener("change", () => setLang(langSel.value));
    document.addEventListener("click", (ev) => {
      const a = ev.target.closest && ev.target.closest("a[data-nav]");
      if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      const u = new URL(a.href, location.href);
      if (u.origin !== location.origin) return;
      ev.preventDefault();
      if (u.pathname === location.pathname && u.hash && current === "home") {
        history.pushState(null, "", u.pathname + u.hash);
        showHome(true);
        return;
      }
      navigate(u.pathname + u.search + u.hash);
    });
    window.addEventListener("popstate", () => {
      const u = urlLang();
      if (u && u !== lang) setLang(u);
      route(true);
    });
    route(false);
  }

  start();
})();
