-- wrk script: cycles through code lookups in every accepted form and both languages, so the
-- benchmark measures parsing, the knowledge base and both cached languages, not one hot path.
local paths = {
  "/api/v1/codes/0xC004F074?lang=en",
  "/api/v1/codes/c004f074?lang=zh-TW",
  "/api/v1/codes/-1073418124?lang=en",
  "/api/v1/codes/3221549172?lang=zh-TW",
  "/api/v1/codes/0xC004F038?lang=en",
  "/api/v1/codes/SL_E_VL_INVALID_TIMESTAMP?lang=zh-TW",
  "/api/v1/codes/0x8007232B?lang=en",
  "/api/v1/codes/0xC004C003?lang=zh-TW",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
