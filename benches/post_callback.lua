-- wrk script: POSTs one signed AutoX3 callback (the file named by CB_BODY) on every request.
-- wrk's Lua has no SHA-1, so every request carries the same msgId: a de-duplicating
-- receiver verifies each one and then answers it as a duplicate (still 200, acknowledged).
local f = assert(io.open(os.getenv("CB_BODY"), "rb"))
wrk.method = "POST"
wrk.body = f:read("*a"):gsub("\n$", "")
wrk.headers["Content-Type"] = "application/json"
f:close()
