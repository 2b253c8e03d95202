
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'cbtool' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'cbtool'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'cbtool' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the main job on the bundled fixtures: a receiver on loopback, every callback replayed with faults and retries')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Print a payload''s signature (or, with --embed, the whole signed request)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a callback''s signature; --explain says why it does not match')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check callbacks against the documented schemas and rules; --sequence checks one Dayu order''s history')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate an RSA key pair for Dayu tests (PEM and Java base64 forms)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Run a reference receiver on loopback: verify, de-duplicate, answer as documented, inject faults')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Deliver callbacks to a URL like the real sender: same bytes, vendor retry schedule')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script for bash, zsh, fish, PowerShell or elvish')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff), of cbtool or of one command')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Generate realistic callbacks a real sender could have produced; signed when given the credential')
            [CompletionResult]::new('snippet', 'snippet', [CompletionResultType]::ParameterValue, 'Print tested receiver code (Java, Python, Node, Go, PHP) that verifies a vendor''s signature correctly')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cbtool;demo' {
            [CompletionResult]::new('--time-scale', '--time-scale', [CompletionResultType]::ParameterName, 'Multiply every wait of the vendor''s retry schedule by F (0.01: the 126 s of waits in 1.26 s)')
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'Size of the fresh Dayu RSA key pair (under 2048 only for quicker tests)')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'Use this AutoX3 secret instead of a random one (for tests that it is never printed)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('--real-time', '--real-time', [CompletionResultType]::ParameterName, 'Wait the vendor''s real intervals, 2 s to 64 s (the run takes over two minutes)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON report on stdout (the live lines and the summary stay on stderr)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;sign' {
            [CompletionResult]::new('--vendor', '--vendor', [CompletionResultType]::ParameterName, 'Force the vendor instead of detecting it from the payload')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Largest callback (or JSON Lines line) accepted, in bytes')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('--jsonl', '--jsonl', [CompletionResultType]::ParameterName, 'Treat the input as JSON Lines: one callback a line, streamed')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'Treat FILE as a raw HTTP request (request line, headers, blank line, body)')
            [CompletionResult]::new('--embed', '--embed', [CompletionResultType]::ParameterName, 'Print the whole signed request (AutoX3: compact body with msgSignature; Dayu: an envelope with the Dayu-Sign header)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON object per callback instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;verify' {
            [CompletionResult]::new('--vendor', '--vendor', [CompletionResultType]::ParameterName, 'Force the vendor instead of detecting it from the payload')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Largest callback (or JSON Lines line) accepted, in bytes')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64')
            [CompletionResult]::new('--signature', '--signature', [CompletionResultType]::ParameterName, 'Check this signature instead of the one the callback carries (e.g. what your code computed)')
            [CompletionResult]::new('--signed-string', '--signed-string', [CompletionResultType]::ParameterName, 'Compare the string your code signed (a file) with the correct one, byte by byte')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('--jsonl', '--jsonl', [CompletionResultType]::ParameterName, 'Treat the input as JSON Lines: one callback a line, streamed')
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'Treat FILE as a raw HTTP request (request line, headers, blank line, body)')
            [CompletionResult]::new('--explain', '--explain', [CompletionResultType]::ParameterName, 'Diagnose a mismatch: show the signed string and name the mistake that reproduces the signature')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;validate' {
            [CompletionResult]::new('--print-schema', '--print-schema', [CompletionResultType]::ParameterName, 'Print one embedded JSON Schema and exit')
            [CompletionResult]::new('--vendor', '--vendor', [CompletionResultType]::ParameterName, 'Force the vendor instead of detecting it from the payload')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Largest callback (or JSON Lines line) accepted, in bytes')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('--sequence', '--sequence', [CompletionResultType]::ParameterName, 'Also check that the callbacks, in the order given, are one Dayu order''s legal history')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail (exit 1) on warnings too')
            [CompletionResult]::new('--jsonl', '--jsonl', [CompletionResultType]::ParameterName, 'Treat every input as JSON Lines: one callback a line')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;keygen' {
            [CompletionResult]::new('--bits', '--bits', [CompletionResultType]::ParameterName, 'Key size in bits (under 2048 only for tests)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Directory to write private.pem, public.pem, private.b64 and public.b64 into; without it, all are printed')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite existing key files')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print a JSON summary instead of text')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;listen' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64')
            [CompletionResult]::new('--addr', '--addr', [CompletionResultType]::ParameterName, 'Address to listen on (IP or host name, e.g. localhost:8080); port 0 picks a free port (the bound address is printed first)')
            [CompletionResult]::new('--vendor', '--vendor', [CompletionResultType]::ParameterName, 'Force the vendor instead of detecting it from each body')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest body accepted; larger ones get 413')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Keep the ids already processed in FILE, so they stay duplicates across restarts')
            [CompletionResult]::new('--store-limit', '--store-limit', [CompletionResultType]::ParameterName, 'Remember at most N processed ids (with or without --store), forgetting the oldest first; the summary counts the ids forgotten')
            [CompletionResult]::new('--save', '--save', [CompletionResultType]::ParameterName, 'Write every received callback into DIR as a raw HTTP request (read back by verify --request)')
            [CompletionResult]::new('--fail-first', '--fail-first', [CompletionResultType]::ParameterName, 'Fault the first N deliveries of each message (by msgId, or orderId/serviceProgessTimeNum)')
            [CompletionResult]::new('--fail-rate', '--fail-rate', [CompletionResultType]::ParameterName, 'Fault this share of deliveries, 0 to 1, drawn from --seed')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed for --fail-rate, so that a run can be repeated')
            [CompletionResult]::new('--fail-mode', '--fail-mode', [CompletionResultType]::ParameterName, 'What a faulted delivery gets')
            [CompletionResult]::new('--fail-hold', '--fail-hold', [CompletionResultType]::ParameterName, 'How long a `timeout` fault holds the connection before closing it')
            [CompletionResult]::new('--delay', '--delay', [CompletionResultType]::ParameterName, 'Wait before every answer (`250ms`, `2s`; a bare number is seconds)')
            [CompletionResult]::new('--read-timeout', '--read-timeout', [CompletionResultType]::ParameterName, 'Time allowed for a request''s head, and again for its body')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Connections served at once; more wait to be accepted')
            [CompletionResult]::new('--max-requests', '--max-requests', [CompletionResultType]::ParameterName, 'Stop after answering N requests')
            [CompletionResult]::new('--exit-after', '--exit-after', [CompletionResultType]::ParameterName, 'Stop after this long (e.g. 30s)')
            [CompletionResult]::new('--forward', '--forward', [CompletionResultType]::ParameterName, 'Stand in front of your app: forward every request to URL (http or https) byte for byte, relay its answer, and judge the answer as the vendor''s sender reads it')
            [CompletionResult]::new('--forward-timeout', '--forward-timeout', [CompletionResultType]::ParameterName, 'With --forward: how long the app has to answer; then the sender gets 504')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('--allow-remote', '--allow-remote', [CompletionResultType]::ParameterName, 'Allow an address other than loopback: the receiver then answers other machines')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON Lines on stdout: the bound address, one object per request, a summary')
            [CompletionResult]::new('--expect-app-correct', '--expect-app-correct', [CompletionResultType]::ParameterName, 'With --forward: exit 1 if the app acknowledged a forged callback, or did not acknowledge a valid one (a duplicate included)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;replay' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Where to POST the callbacks (http or https)')
            [CompletionResult]::new('-H', '-H ', [CompletionResultType]::ParameterName, 'An extra request header, `Name: value` (repeatable; replaces a carried header of that name)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'An extra request header, `Name: value` (repeatable; replaces a carried header of that name)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time allowed for each attempt (`10`, `2s`, `500ms`)')
            [CompletionResult]::new('--schedule', '--schedule', [CompletionResultType]::ParameterName, 'Waits between attempts: seconds (`2,4,8`) or with units (`500ms,2s`) [default: 2,4,8,16,32,64]')
            [CompletionResult]::new('--time-scale', '--time-scale', [CompletionResultType]::ParameterName, 'Multiply every wait by F (0.01 runs the vendor sequence in 1.26 s of waits)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Messages in flight at once (callbacks of one Dayu order always go one after another)')
            [CompletionResult]::new('--ack', '--ack', [CompletionResultType]::ParameterName, 'How an acknowledgement is recognised [default: per vendor]')
            [CompletionResult]::new('--duplicate', '--duplicate', [CompletionResultType]::ParameterName, 'After an acknowledgement, send the identical message N more times; each must be acknowledged')
            [CompletionResult]::new('--report', '--report', [CompletionResultType]::ParameterName, 'Write the JSON report to FILE')
            [CompletionResult]::new('--junit', '--junit', [CompletionResultType]::ParameterName, 'Write a JUnit XML report to FILE (one test case per message)')
            [CompletionResult]::new('--cacert', '--cacert', [CompletionResultType]::ParameterName, 'Trust the CA certificates in this PEM file (besides the built-in roots)')
            [CompletionResult]::new('--vendor', '--vendor', [CompletionResultType]::ParameterName, 'Force the vendor instead of detecting it from each payload')
            [CompletionResult]::new('--max-size', '--max-size', [CompletionResultType]::ParameterName, 'Largest callback (or JSON Lines line) accepted, in bytes')
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('--no-retry', '--no-retry', [CompletionResultType]::ParameterName, 'One attempt per message, no retries')
            [CompletionResult]::new('--fresh', '--fresh', [CompletionResultType]::ParameterName, 'Give each message a new identity before signing (AutoX3: msgId and createTime; Dayu: createTime), so de-duplicating receivers take repeated runs')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the JSON report on stdout')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'Do not verify the receiver''s TLS certificate (tests only)')
            [CompletionResult]::new('--keep-alive', '--keep-alive', [CompletionResultType]::ParameterName, 'Reuse connections between requests, for bulk replays; by default every attempt opens a fresh connection, as the vendors'' senders do')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;man' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;sample' {
            [CompletionResult]::new('--secret', '--secret', [CompletionResultType]::ParameterName, 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)')
            [CompletionResult]::new('--secret-file', '--secret-file', [CompletionResultType]::ParameterName, 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET')
            [CompletionResult]::new('--private-key', '--private-key', [CompletionResultType]::ParameterName, 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64')
            [CompletionResult]::new('--public-key', '--public-key', [CompletionResultType]::ParameterName, 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many callbacks to generate, one JSON document a line')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed: the same seed gives the same bytes (without it, a random one, printed on stderr)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'With --lifecycle: how the order ends')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write one file per callback into DIR, named in order (01-created.json, …)')
            [CompletionResult]::new('--curl', '--curl', [CompletionResultType]::ParameterName, 'Print, per callback, a curl command that POSTs exactly these bytes to URL')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('--lifecycle', '--lifecycle', [CompletionResultType]::ParameterName, 'Dayu: every callback of one work order, from creation to its end (see --path)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'With --out: overwrite files that exist')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'JSON on stdout: the callbacks as JSON Lines (the default anyway); with --out, a summary')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;snippet' {
            [CompletionResult]::new('--vendor', '--vendor', [CompletionResultType]::ParameterName, 'Whose callbacks the receiver verifies')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the code to FILE instead of printing it')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never')
            [CompletionResult]::new('--list', '--list', [CompletionResultType]::ParameterName, 'List the snippets there are (of LANG and --vendor, when given) and how to run each')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'With --out: overwrite FILE if it exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON: with --list, the snippets; otherwise the snippet''s file name, run command and code')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors (JSON reports are still printed; the exit code tells the outcome)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print extra detail (verify: the signed string even when the signature is valid)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'cbtool;help' {
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Run the main job on the bundled fixtures: a receiver on loopback, every callback replayed with faults and retries')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Print a payload''s signature (or, with --embed, the whole signed request)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a callback''s signature; --explain says why it does not match')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check callbacks against the documented schemas and rules; --sequence checks one Dayu order''s history')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate an RSA key pair for Dayu tests (PEM and Java base64 forms)')
            [CompletionResult]::new('listen', 'listen', [CompletionResultType]::ParameterValue, 'Run a reference receiver on loopback: verify, de-duplicate, answer as documented, inject faults')
            [CompletionResult]::new('replay', 'replay', [CompletionResultType]::ParameterValue, 'Deliver callbacks to a URL like the real sender: same bytes, vendor retry schedule')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script for bash, zsh, fish, PowerShell or elvish')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'Print the man page (roff), of cbtool or of one command')
            [CompletionResult]::new('sample', 'sample', [CompletionResultType]::ParameterValue, 'Generate realistic callbacks a real sender could have produced; signed when given the credential')
            [CompletionResult]::new('snippet', 'snippet', [CompletionResultType]::ParameterValue, 'Print tested receiver code (Java, Python, Node, Go, PHP) that verifies a vendor''s signature correctly')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'cbtool;help;demo' {
            break
        }
        'cbtool;help;sign' {
            break
        }
        'cbtool;help;verify' {
            break
        }
        'cbtool;help;validate' {
            break
        }
        'cbtool;help;keygen' {
            break
        }
        'cbtool;help;listen' {
            break
        }
        'cbtool;help;replay' {
            break
        }
        'cbtool;help;completions' {
            break
        }
        'cbtool;help;man' {
            break
        }
        'cbtool;help;sample' {
            break
        }
        'cbtool;help;snippet' {
            break
        }
        'cbtool;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
