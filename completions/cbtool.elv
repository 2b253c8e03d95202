
use builtin;
use str;

set edit:completion:arg-completer[cbtool] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'cbtool'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'cbtool'= {
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand demo 'Run the main job on the bundled fixtures: a receiver on loopback, every callback replayed with faults and retries'
            cand sign 'Print a payload''s signature (or, with --embed, the whole signed request)'
            cand verify 'Check a callback''s signature; --explain says why it does not match'
            cand validate 'Check callbacks against the documented schemas and rules; --sequence checks one Dayu order''s history'
            cand keygen 'Generate an RSA key pair for Dayu tests (PEM and Java base64 forms)'
            cand listen 'Run a reference receiver on loopback: verify, de-duplicate, answer as documented, inject faults'
            cand replay 'Deliver callbacks to a URL like the real sender: same bytes, vendor retry schedule'
            cand completions 'Print a shell completion script for bash, zsh, fish, PowerShell or elvish'
            cand man 'Print the man page (roff), of cbtool or of one command'
            cand sample 'Generate realistic callbacks a real sender could have produced; signed when given the credential'
            cand snippet 'Print tested receiver code (Java, Python, Node, Go, PHP) that verifies a vendor''s signature correctly'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cbtool;demo'= {
            cand --time-scale 'Multiply every wait of the vendor''s retry schedule by F (0.01: the 126 s of waits in 1.26 s)'
            cand --bits 'Size of the fresh Dayu RSA key pair (under 2048 only for quicker tests)'
            cand --secret 'Use this AutoX3 secret instead of a random one (for tests that it is never printed)'
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand --real-time 'Wait the vendor''s real intervals, 2 s to 64 s (the run takes over two minutes)'
            cand --json 'Print one JSON report on stdout (the live lines and the summary stay on stderr)'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;sign'= {
            cand --vendor 'Force the vendor instead of detecting it from the payload'
            cand --max-size 'Largest callback (or JSON Lines line) accepted, in bytes'
            cand --secret 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)'
            cand --secret-file 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET'
            cand --private-key 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64'
            cand --public-key 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64'
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand --jsonl 'Treat the input as JSON Lines: one callback a line, streamed'
            cand --request 'Treat FILE as a raw HTTP request (request line, headers, blank line, body)'
            cand --embed 'Print the whole signed request (AutoX3: compact body with msgSignature; Dayu: an envelope with the Dayu-Sign header)'
            cand --json 'Print one JSON object per callback instead of text'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;verify'= {
            cand --vendor 'Force the vendor instead of detecting it from the payload'
            cand --max-size 'Largest callback (or JSON Lines line) accepted, in bytes'
            cand --secret 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)'
            cand --secret-file 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET'
            cand --private-key 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64'
            cand --public-key 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64'
            cand --signature 'Check this signature instead of the one the callback carries (e.g. what your code computed)'
            cand --signed-string 'Compare the string your code signed (a file) with the correct one, byte by byte'
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand --jsonl 'Treat the input as JSON Lines: one callback a line, streamed'
            cand --request 'Treat FILE as a raw HTTP request (request line, headers, blank line, body)'
            cand --explain 'Diagnose a mismatch: show the signed string and name the mistake that reproduces the signature'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;validate'= {
            cand --print-schema 'Print one embedded JSON Schema and exit'
            cand --vendor 'Force the vendor instead of detecting it from the payload'
            cand --max-size 'Largest callback (or JSON Lines line) accepted, in bytes'
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand --sequence 'Also check that the callbacks, in the order given, are one Dayu order''s legal history'
            cand --strict 'Fail (exit 1) on warnings too'
            cand --jsonl 'Treat every input as JSON Lines: one callback a line'
            cand --json 'Print one JSON document on stdout instead of text'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;keygen'= {
            cand --bits 'Key size in bits (under 2048 only for tests)'
            cand --out 'Directory to write private.pem, public.pem, private.b64 and public.b64 into; without it, all are printed'
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand --force 'Overwrite existing key files'
            cand --json 'Print a JSON summary instead of text'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;listen'= {
            cand --secret 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)'
            cand --secret-file 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET'
            cand --private-key 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64'
            cand --public-key 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64'
            cand --addr 'Address to listen on (IP or host name, e.g. localhost:8080); port 0 picks a free port (the bound address is printed first)'
            cand --vendor 'Force the vendor instead of detecting it from each body'
            cand --max-body 'Largest body accepted; larger ones get 413'
            cand --store 'Keep the ids already processed in FILE, so they stay duplicates across restarts'
            cand --store-limit 'Remember at most N processed ids (with or without --store), forgetting the oldest first; the summary counts the ids forgotten'
            cand --save 'Write every received callback into DIR as a raw HTTP request (read back by verify --request)'
            cand --fail-first 'Fault the first N deliveries of each message (by msgId, or orderId/serviceProgessTimeNum)'
            cand --fail-rate 'Fault this share of deliveries, 0 to 1, drawn from --seed'
            cand --seed 'Seed for --fail-rate, so that a run can be repeated'
            cand --fail-mode 'What a faulted delivery gets'
            cand --fail-hold 'How long a `timeout` fault holds the connection before closing it'
            cand --delay 'Wait before every answer (`250ms`, `2s`; a bare number is seconds)'
            cand --read-timeout 'Time allowed for a request''s head, and again for its body'
            cand --max-connections 'Connections served at once; more wait to be accepted'
            cand --max-requests 'Stop after answering N requests'
            cand --exit-after 'Stop after this long (e.g. 30s)'
            cand --forward 'Stand in front of your app: forward every request to URL (http or https) byte for byte, relay its answer, and judge the answer as the vendor''s sender reads it'
            cand --forward-timeout 'With --forward: how long the app has to answer; then the sender gets 504'
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand --allow-remote 'Allow an address other than loopback: the receiver then answers other machines'
            cand --json 'Print JSON Lines on stdout: the bound address, one object per request, a summary'
            cand --expect-app-correct 'With --forward: exit 1 if the app acknowledged a forged callback, or did not acknowledge a valid one (a duplicate included)'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;replay'= {
            cand --url 'Where to POST the callbacks (http or https)'
            cand -H 'An extra request header, `Name: value` (repeatable; replaces a carried header of that name)'
            cand --header 'An extra request header, `Name: value` (repeatable; replaces a carried header of that name)'
            cand --timeout 'Time allowed for each attempt (`10`, `2s`, `500ms`)'
            cand --schedule 'Waits between attempts: seconds (`2,4,8`) or with units (`500ms,2s`) [default: 2,4,8,16,32,64]'
            cand --time-scale 'Multiply every wait by F (0.01 runs the vendor sequence in 1.26 s of waits)'
            cand --concurrency 'Messages in flight at once (callbacks of one Dayu order always go one after another)'
            cand --ack 'How an acknowledgement is recognised [default: per vendor]'
            cand --duplicate 'After an acknowledgement, send the identical message N more times; each must be acknowledged'
            cand --report 'Write the JSON report to FILE'
            cand --junit 'Write a JUnit XML report to FILE (one test case per message)'
            cand --cacert 'Trust the CA certificates in this PEM file (besides the built-in roots)'
            cand --vendor 'Force the vendor instead of detecting it from each payload'
            cand --max-size 'Largest callback (or JSON Lines line) accepted, in bytes'
            cand --secret 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)'
            cand --secret-file 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET'
            cand --private-key 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64'
            cand --public-key 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64'
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand --no-retry 'One attempt per message, no retries'
            cand --fresh 'Give each message a new identity before signing (AutoX3: msgId and createTime; Dayu: createTime), so de-duplicating receivers take repeated runs'
            cand --json 'Print the JSON report on stdout'
            cand --insecure 'Do not verify the receiver''s TLS certificate (tests only)'
            cand --keep-alive 'Reuse connections between requests, for bulk replays; by default every attempt opens a fresh connection, as the vendors'' senders do'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;completions'= {
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;man'= {
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;sample'= {
            cand --secret 'AutoX3 appSecret (prefer --secret-file or the variable: arguments show in `ps`)'
            cand --secret-file 'File holding the AutoX3 appSecret (one trailing newline is ignored); wins over --secret and CBTOOL_AUTOX3_SECRET'
            cand --private-key 'Dayu RSA private key for signing: PEM (PKCS#8/PKCS#1), DER, or Java base64'
            cand --public-key 'Dayu RSA public key for verifying: PEM (SPKI/PKCS#1), DER, or Java base64'
            cand --count 'How many callbacks to generate, one JSON document a line'
            cand --seed 'Seed: the same seed gives the same bytes (without it, a random one, printed on stderr)'
            cand --path 'With --lifecycle: how the order ends'
            cand --out 'Write one file per callback into DIR, named in order (01-created.json, …)'
            cand --curl 'Print, per callback, a curl command that POSTs exactly these bytes to URL'
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand --lifecycle 'Dayu: every callback of one work order, from creation to its end (see --path)'
            cand --force 'With --out: overwrite files that exist'
            cand --json 'JSON on stdout: the callbacks as JSON Lines (the default anyway); with --out, a summary'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;snippet'= {
            cand --vendor 'Whose callbacks the receiver verifies'
            cand --out 'Write the code to FILE instead of printing it'
            cand --color 'When to colour human output: auto (only on a terminal, and not when NO_COLOR is set), always, never'
            cand --list 'List the snippets there are (of LANG and --vendor, when given) and how to run each'
            cand --force 'With --out: overwrite FILE if it exists'
            cand --json 'Print JSON: with --list, the snippets; otherwise the snippet''s file name, run command and code'
            cand -q 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand --quiet 'Print only errors (JSON reports are still printed; the exit code tells the outcome)'
            cand -v 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand --verbose 'Print extra detail (verify: the signed string even when the signature is valid)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'cbtool;help'= {
            cand demo 'Run the main job on the bundled fixtures: a receiver on loopback, every callback replayed with faults and retries'
            cand sign 'Print a payload''s signature (or, with --embed, the whole signed request)'
            cand verify 'Check a callback''s signature; --explain says why it does not match'
            cand validate 'Check callbacks against the documented schemas and rules; --sequence checks one Dayu order''s history'
            cand keygen 'Generate an RSA key pair for Dayu tests (PEM and Java base64 forms)'
            cand listen 'Run a reference receiver on loopback: verify, de-duplicate, answer as documented, inject faults'
            cand replay 'Deliver callbacks to a URL like the real sender: same bytes, vendor retry schedule'
            cand completions 'Print a shell completion script for bash, zsh, fish, PowerShell or elvish'
            cand man 'Print the man page (roff), of cbtool or of one command'
            cand sample 'Generate realistic callbacks a real sender could have produced; signed when given the credential'
            cand snippet 'Print tested receiver code (Java, Python, Node, Go, PHP) that verifies a vendor''s signature correctly'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'cbtool;help;demo'= {
        }
        &'cbtool;help;sign'= {
        }
        &'cbtool;help;verify'= {
        }
        &'cbtool;help;validate'= {
        }
        &'cbtool;help;keygen'= {
        }
        &'cbtool;help;listen'= {
        }
        &'cbtool;help;replay'= {
        }
        &'cbtool;help;completions'= {
        }
        &'cbtool;help;man'= {
        }
        &'cbtool;help;sample'= {
        }
        &'cbtool;help;snippet'= {
        }
        &'cbtool;help;help'= {
        }
    ]
    $completions[$command]
}
