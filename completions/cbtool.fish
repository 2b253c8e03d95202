# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_cbtool_global_optspecs
    string join \n color= q/quiet v/verbose h/help V/version
end

function __fish_cbtool_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_cbtool_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_cbtool_using_subcommand
    set -l cmd (__fish_cbtool_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c cbtool -n "__fish_cbtool_needs_command" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_needs_command" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_needs_command" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_needs_command" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "demo" -d 'Run the main job on the bundled fixtures: a receiver on loopback, every callback replayed with faults and retries'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "sign" -d 'Print a payload\'s signature (or, with --embed, the whole signed request)'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "verify" -d 'Check a callback\'s signature; --explain says why it does not match'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "validate" -d 'Check callbacks against the documented schemas and rules; --sequence checks one Dayu order\'s history'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "keygen" -d 'Generate an RSA key pair for Dayu tests (PEM and Java base64 forms)'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "listen" -d 'Run a reference receiver on loopback: verify, de-duplicate, answer as documented, inject faults'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "replay" -d 'Deliver callbacks to a URL like the real sender: same bytes, vendor retry schedule'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "completions" -d 'Print a shell completion script for bash, zsh, fish, PowerShell or elvish'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "man" -d 'Print the man page (roff), of cbtool or of one command'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "sample" -d 'Generate realistic callbacks a real sender could have produced; signed when given the credential'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "snippet" -d 'Print tested receiver code (Java, Python, Node, Go, PHP) that verifies a vendor\'s signature correctly'
complete -c cbtool -n "__fish_cbtool_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c cbtool -n "__fish_cbtool_using_subcommand demo" -l time-scale -d 'Multiply every wait of the vendor\'s retry schedule by F (0.01: the 126 s of waits in 1.26 s)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand demo" -l bits -d 'Size of the fresh Dayu RSA key pair (under 2048 only for quicker tests)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand demo" -l secret -d 'Use this AutoX3 secret instead of a random one (for tests that it is never printed)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand demo" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand demo" -l real-time -d 'Wait the vendor\'s real intervals, 2 s to 64 s (the run takes over two minutes)'
complete -c cbtool -n "__fish_cbtool_using_subcommand demo" -l json -d 'Print one JSON report on stdout (the live lines and the summary stay on stderr)'
complete -c cbtool -n "__fish_cbtool_using_subcommand demo" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand demo" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand demo" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l vendor -d 'Force the vendor instead of detecting it from the payload' -r -f -a "autox3\t''
dayu\t''"
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l max-size -d 'Largest callback (or JSON Lines line) accepted, in bytes' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l secret -d 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l secret-file -d 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l private-key -d 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l public-key -d 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l jsonl -d 'Treat the input as JSON Lines: one callback a line, streamed'
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l request -d 'Treat FILE as a raw HTTP request (request line, headers, blank line, body)'
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l embed -d 'Print the whole signed request (AutoX3: compact body with msgSignature; Dayu: an envelope with the Dayu-Sign header)'
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -l json -d 'Print one JSON object per callback instead of text'
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand sign" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l vendor -d 'Force the vendor instead of detecting it from the payload' -r -f -a "autox3\t''
dayu\t''"
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l max-size -d 'Largest callback (or JSON Lines line) accepted, in bytes' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l secret -d 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l secret-file -d 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l private-key -d 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l public-key -d 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l signature -d 'Check this signature instead of the one the callback carries (e.g. what your code computed)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l signed-string -d 'Compare the string your code signed (a file) with the correct one, byte by byte' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l jsonl -d 'Treat the input as JSON Lines: one callback a line, streamed'
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l request -d 'Treat FILE as a raw HTTP request (request line, headers, blank line, body)'
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l explain -d 'Diagnose a mismatch: show the signed string and name the mistake that reproduces the signature'
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand verify" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -l print-schema -d 'Print one embedded JSON Schema and exit' -r -f -a "autox3-envelope\t'The members every AutoX3 callback carries: msgId, msgType, createTime, msgSignature, staffInfo, content'
autox3-receivebase-create\t'The content of event.autox3.order.receivebase.create'
dayu-order-progress\t'Dayu\'s work-order progress callback'"
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -l vendor -d 'Force the vendor instead of detecting it from the payload' -r -f -a "autox3\t''
dayu\t''"
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -l max-size -d 'Largest callback (or JSON Lines line) accepted, in bytes' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -l sequence -d 'Also check that the callbacks, in the order given, are one Dayu order\'s legal history'
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -l strict -d 'Fail (exit 1) on warnings too'
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -l jsonl -d 'Treat every input as JSON Lines: one callback a line'
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -l json -d 'Print one JSON document on stdout instead of text'
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand validate" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand keygen" -l bits -d 'Key size in bits (under 2048 only for tests)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand keygen" -l out -d 'Directory to write private.pem, public.pem, private.b64 and public.b64 into; without it, all are printed' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand keygen" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand keygen" -l force -d 'Overwrite existing key files'
complete -c cbtool -n "__fish_cbtool_using_subcommand keygen" -l json -d 'Print a JSON summary instead of text'
complete -c cbtool -n "__fish_cbtool_using_subcommand keygen" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand keygen" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand keygen" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l secret -d 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l secret-file -d 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l private-key -d 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l public-key -d 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l addr -d 'Address to listen on (IP or host name, e.g. localhost:8080); port 0 picks a free port (the bound address is printed first)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l vendor -d 'Force the vendor instead of detecting it from each body' -r -f -a "autox3\t''
dayu\t''"
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l max-body -d 'Largest body accepted; larger ones get 413' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l store -d 'Keep the ids already processed in FILE, so they stay duplicates across restarts' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l store-limit -d 'Remember at most N processed ids (with or without --store), forgetting the oldest first; the summary counts the ids forgotten' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l save -d 'Write every received callback into DIR as a raw HTTP request (read back by verify --request)' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l fail-first -d 'Fault the first N deliveries of each message (by msgId, or orderId/serviceProgessTimeNum)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l fail-rate -d 'Fault this share of deliveries, 0 to 1, drawn from --seed' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l seed -d 'Seed for --fail-rate, so that a run can be repeated' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l fail-mode -d 'What a faulted delivery gets' -r -f -a "http500\t'Answer HTTP 500'
status1\t'Answer the vendor\'s refusal (AutoX3: HTTP 200 with status 1)'
timeout\t'Answer nothing; close after --fail-hold'
close\t'Close the connection without an answer'
badjson\t'Answer HTTP 200 with a body that is not JSON'"
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l fail-hold -d 'How long a `timeout` fault holds the connection before closing it' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l delay -d 'Wait before every answer (`250ms`, `2s`; a bare number is seconds)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l read-timeout -d 'Time allowed for a request\'s head, and again for its body' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l max-connections -d 'Connections served at once; more wait to be accepted' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l max-requests -d 'Stop after answering N requests' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l exit-after -d 'Stop after this long (e.g. 30s)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l forward -d 'Stand in front of your app: forward every request to URL (http or https) byte for byte, relay its answer, and judge the answer as the vendor\'s sender reads it' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l forward-timeout -d 'With --forward: how long the app has to answer; then the sender gets 504' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l allow-remote -d 'Allow an address other than loopback: the receiver then answers other machines'
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l json -d 'Print JSON Lines on stdout: the bound address, one object per request, a summary'
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -l expect-app-correct -d 'With --forward: exit 1 if the app acknowledged a forged callback, or did not acknowledge a valid one (a duplicate included)'
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand listen" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l url -d 'Where to POST the callbacks (http or https)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -s H -l header -d 'An extra request header, `Name: value` (repeatable; replaces a carried header of that name)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l timeout -d 'Time allowed for each attempt (`10`, `2s`, `500ms`)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l schedule -d 'Waits between attempts: seconds (`2,4,8`) or with units (`500ms,2s`) [default: 2,4,8,16,32,64]' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l time-scale -d 'Multiply every wait by F (0.01 runs the vendor sequence in 1.26 s of waits)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l concurrency -d 'Messages in flight at once (callbacks of one Dayu order always go one after another)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l ack -d 'How an acknowledgement is recognised [default: per vendor]' -r -f -a "http-2xx\t'Any 2xx status (Dayu\'s default)'
autox3-status\t'HTTP 200 and a JSON body whose `status` is 0 (AutoX3\'s default)'"
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l duplicate -d 'After an acknowledgement, send the identical message N more times; each must be acknowledged' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l report -d 'Write the JSON report to FILE' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l junit -d 'Write a JUnit XML report to FILE (one test case per message)' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l cacert -d 'Trust the CA certificates in this PEM file (besides the built-in roots)' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l vendor -d 'Force the vendor instead of detecting it from each payload' -r -f -a "autox3\t''
dayu\t''"
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l max-size -d 'Largest callback (or JSON Lines line) accepted, in bytes' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l secret -d 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l secret-file -d 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l private-key -d 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l public-key -d 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l no-retry -d 'One attempt per message, no retries'
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l fresh -d 'Give each message a new identity before signing (AutoX3: msgId and createTime; Dayu: createTime), so de-duplicating receivers take repeated runs'
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l json -d 'Print the JSON report on stdout'
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l insecure -d 'Do not verify the receiver\'s TLS certificate (tests only)'
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -l keep-alive -d 'Reuse connections between requests, for bulk replays; by default every attempt opens a fresh connection, as the vendors\' senders do'
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand replay" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand completions" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand completions" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand completions" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand completions" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand man" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand man" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand man" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand man" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l secret -d 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l secret-file -d 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l private-key -d 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l public-key -d 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l count -d 'How many callbacks to generate, one JSON document a line' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l seed -d 'Seed: the same seed gives the same bytes (without it, a random one, printed on stderr)' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l path -d 'With --lifecycle: how the order ends' -r -f -a "complete\t'Served, submitted and accepted by Dayu (progress 0,1,2,3,5,6,7,8)'
cancel\t'Cancelled before the service starts (progress 0, …, 10)'
rework\t'Served, submitted, then sent back for rework (progress 0,1,2,3,5,6,7,9)'"
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l out -d 'Write one file per callback into DIR, named in order (01-created.json, …)' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l curl -d 'Print, per callback, a curl command that POSTs exactly these bytes to URL' -r
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l lifecycle -d 'Dayu: every callback of one work order, from creation to its end (see --path)'
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l force -d 'With --out: overwrite files that exist'
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -l json -d 'JSON on stdout: the callbacks as JSON Lines (the default anyway); with --out, a summary'
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand sample" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand snippet" -l vendor -d 'Whose callbacks the receiver verifies' -r -f -a "autox3\t''
dayu\t''"
complete -c cbtool -n "__fish_cbtool_using_subcommand snippet" -l out -d 'Write the code to FILE instead of printing it' -r -F
complete -c cbtool -n "__fish_cbtool_using_subcommand snippet" -l color -d 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never' -r -f -a "auto\t'Colour only on a terminal, unless NO_COLOR is set'
always\t'Always colour (e.g. for a CI log that renders ANSI)'
never\t'Never colour'"
complete -c cbtool -n "__fish_cbtool_using_subcommand snippet" -l list -d 'List the snippets there are (of LANG and --vendor, when given) and how to run each'
complete -c cbtool -n "__fish_cbtool_using_subcommand snippet" -l force -d 'With --out: overwrite FILE if it exists'
complete -c cbtool -n "__fish_cbtool_using_subcommand snippet" -l json -d 'Print JSON: with --list, the snippets; otherwise the snippet\'s file name, run command and code'
complete -c cbtool -n "__fish_cbtool_using_subcommand snippet" -s q -l quiet -d 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
complete -c cbtool -n "__fish_cbtool_using_subcommand snippet" -s v -l verbose -d 'Print extra detail (verify: the signed string even when the signature is valid)'
complete -c cbtool -n "__fish_cbtool_using_subcommand snippet" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c cbtool -n "__fish_cbtool_using_subcommand snippet" -s V -l version -d 'Print version'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "demo" -d 'Run the main job on the bundled fixtures: a receiver on loopback, every callback replayed with faults and retries'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "sign" -d 'Print a payload\'s signature (or, with --embed, the whole signed request)'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "verify" -d 'Check a callback\'s signature; --explain says why it does not match'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "validate" -d 'Check callbacks against the documented schemas and rules; --sequence checks one Dayu order\'s history'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "keygen" -d 'Generate an RSA key pair for Dayu tests (PEM and Java base64 forms)'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "listen" -d 'Run a reference receiver on loopback: verify, de-duplicate, answer as documented, inject faults'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "replay" -d 'Deliver callbacks to a URL like the real sender: same bytes, vendor retry schedule'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "completions" -d 'Print a shell completion script for bash, zsh, fish, PowerShell or elvish'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "man" -d 'Print the man page (roff), of cbtool or of one command'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "sample" -d 'Generate realistic callbacks a real sender could have produced; signed when given the credential'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "snippet" -d 'Print tested receiver code (Java, Python, Node, Go, PHP) that verifies a vendor\'s signature correctly'
complete -c cbtool -n "__fish_cbtool_using_subcommand help; and not __fish_seen_subcommand_from demo sign verify validate keygen listen replay completions man sample snippet help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
