// Dayu (大鱼) callback receiver. Run: CBTOOL_DAYU_PUBLIC_KEY=public.pem PORT=8080 go run dayu_receiver.go
// Go 1.19+, standard library only. Printed by `cbtool snippet go --vendor dayu`.
//
// Signature: SHA1withRSA (RSASSA-PKCS1-v1_5) over `orderId=<orderId>&serviceProgessTimeNum=<n>`,
// standard base64 in the `Dayu-Sign` header. `Progess` is the vendor's spelling: signing
// "serviceProgressTimeNum" gives a signature that never verifies.
// The key file: PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or Java's bare base64 X.509 form.
// The two numbers are taken as the text they were sent as (json.RawMessage): a float64
// would lose digits of a long orderId and accept 5577.0 as 5577.
package main

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

const maxBody = 1 << 20

var integer = regexp.MustCompile(`^-?[0-9]+$`)

// errBadMessage marks a body that is not a usable Dayu callback (answered 400).
var errBadMessage = errors.New("bad message")

func badMessage(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errBadMessage}, args...)...)
}

// members maps each top-level key of a JSON object to the exact bytes of its value.
// A json.Decoder walk keeps key case (struct fields would match `orderid` too) and lets
// duplicate keys be refused: with two orderIds, each side could sign another one.
func members(body []byte) (map[string]json.RawMessage, error) {
	if !utf8.Valid(body) || !json.Valid(body) {
		return nil, badMessage("not valid UTF-8 JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		return nil, badMessage("not a JSON object")
	}
	found := map[string]json.RawMessage{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, badMessage("%v", err)
		}
		key := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, badMessage("%v", err)
		}
		if _, seen := found[key]; seen {
			return nil, badMessage("duplicate key %q", key)
		}
		found[key] = raw
	}
	return found, nil
}

// integerText is an integer member as Java's string concatenation writes it.
func integerText(found map[string]json.RawMessage, name string) (string, error) {
	raw, ok := found[name]
	if !ok {
		return "", badMessage("missing %s", name)
	}
	text := string(raw)
	if raw[0] == '"' && json.Unmarshal(raw, &text) != nil {
		return "", badMessage("%s is not a string", name)
	}
	if !integer.MatchString(text) {
		return "", badMessage("%s is not an integer", name)
	}
	return text, nil
}

// messageID is orderId/serviceProgessTimeNum: what is signed, and the de-duplication key.
func messageID(body []byte) (orderID string, progress string, err error) {
	top, err := members(body)
	if err != nil {
		return "", "", err
	}
	record, ok := top["orderRecord"]
	if !ok || record[0] != '{' {
		return "", "", badMessage("orderRecord is missing or not an object")
	}
	inner, err := members(record)
	if err != nil {
		return "", "", err
	}
	if orderID, err = integerText(top, "orderId"); err != nil {
		return "", "", err
	}
	progress, err = integerText(inner, "serviceProgessTimeNum")
	return orderID, progress, err
}

// loadPublicKey reads a PEM PUBLIC KEY or Java's base64 X509EncodedKeySpec, wrapped or not.
func loadPublicKey(text []byte) (*rsa.PublicKey, error) {
	der := []byte(nil)
	if block, _ := pem.Decode(text); block != nil {
		if block.Type != "PUBLIC KEY" {
			return nil, fmt.Errorf("a PEM %q; expected PUBLIC KEY (SubjectPublicKeyInfo)", block.Type)
		}
		der = block.Bytes
	} else {
		var err error
		if der, err = base64.StdEncoding.DecodeString(strings.Join(strings.Fields(string(text)), "")); err != nil {
			return nil, errors.New("expected a PEM PUBLIC KEY or bare base64 (X509EncodedKeySpec)")
		}
	}
	key, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, err
	}
	rsaKey, ok := key.(*rsa.PublicKey)
	if !ok {
		return nil, errors.New("not an RSA key")
	}
	return rsaKey, nil
}

// verify returns "orderId/serviceProgessTimeNum" of a callback whose signature holds, or
// why it does not. An error wrapping errBadMessage means the body is not a usable callback.
func verify(key *rsa.PublicKey, body []byte, signature string) (id string, reason string, err error) {
	orderID, progress, err := messageID(body)
	if err != nil {
		return "", "", err
	}
	if signature == "" {
		return "", "no Dayu-Sign header", nil
	}
	// Java encoders wrap base64 at 76 columns: whitespace and line breaks are not data.
	sig, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(signature), ""))
	if err != nil {
		return "", "Dayu-Sign is not standard base64", nil
	}
	digest := sha1.Sum([]byte("orderId=" + orderID + "&serviceProgessTimeNum=" + progress))
	if rsa.VerifyPKCS1v15(key, crypto.SHA1, digest[:], sig) != nil {
		return "", "signature does not verify with this public key", nil
	}
	return orderID + "/" + progress, "", nil
}

// receiver verifies, then de-duplicates by orderId/serviceProgessTimeNum (one step of one
// order). Dayu documents no answer; any 2xx is taken as received, so duplicates get 200 too.
type receiver struct {
	key  *rsa.PublicKey
	mu   sync.Mutex
	seen map[string]bool // in production: a unique key in your database
}

// handle returns the HTTP status, the response body and a log line.
func (r *receiver) handle(body []byte, signature string) (int, string, string) {
	id, reason, err := verify(r.key, body, signature)
	if err != nil {
		return http.StatusBadRequest, answer(false, err.Error()), "refused (400): " + err.Error()
	}
	if reason != "" {
		return http.StatusUnauthorized, answer(false, reason), "refused (401): " + reason
	}
	r.mu.Lock()
	duplicate := r.seen[id]
	r.seen[id] = true
	r.mu.Unlock()
	if duplicate {
		return http.StatusOK, answer(true, "duplicate: already processed"), "duplicate " + id
	}
	// Process the callback here (before answering: a 2xx tells Dayu it was taken).
	return http.StatusOK, answer(true, ""), "processed " + id
}

func answer(ok bool, note string) string {
	text, _ := json.Marshal(note)
	switch {
	case !ok:
		return `{"ok":false,"error":` + string(text) + `}`
	case note != "":
		return `{"ok":true,"note":` + string(text) + `}`
	}
	return `{"ok":true}`
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	status, reply, line := http.StatusMethodNotAllowed, answer(false, "POST a callback"), "refused (405)"
	if req.Method == http.MethodPost {
		body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxBody))
		if err != nil {
			status, reply, line = http.StatusRequestEntityTooLarge, answer(false, "body too large"), "refused (413)"
		} else {
			status, reply, line = r.handle(body, req.Header.Get("Dayu-Sign"))
		}
	}
	fmt.Println(line)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, reply)
}

func main() {
	path := os.Getenv("CBTOOL_DAYU_PUBLIC_KEY")
	if path == "" {
		fmt.Fprintln(os.Stderr, "error: set CBTOOL_DAYU_PUBLIC_KEY to the path of Dayu's public key")
		os.Exit(2)
	}
	text, err := os.ReadFile(path)
	var key *rsa.PublicKey
	if err == nil {
		key, err = loadPublicKey(text)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "error: %s: cannot read the public key: %v\n", path, err)
		os.Exit(2)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	listener, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err == nil {
		fmt.Println("listening on http://" + listener.Addr().String())
		err = http.Serve(listener, &receiver{key: key, seen: map[string]bool{}})
	}
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(2)
}
