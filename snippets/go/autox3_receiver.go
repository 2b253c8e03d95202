// AutoX3 callback receiver. Run: CBTOOL_AUTOX3_SECRET=... PORT=8080 go run autox3_receiver.go
// Go 1.19+, standard library only. Printed by `cbtool snippet go --vendor autox3`.
//
// Signature: sha1(msgId + msgType + staffInfo + createTime + content + appSecret), hex, where
// staffInfo and content are the EXACT TEXT of those members as they appear in the body.
// Never unmarshal into a map or struct and json.Marshal the parts back: that sorts keys,
// writes 67000.0 as 67000 and escapes <, > and &, and the hash no longer matches.
// json.RawMessage keeps a value's bytes exactly as sent; that is what is hashed.
package main

import (
	"bytes"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
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

// The documented answer: the sender retries until it gets exactly this.
const normalResponse = `{"data":null,"errorInfo":"","status":0}`

const maxBody = 1 << 20

var digits = regexp.MustCompile(`^[0-9]+$`)

// errBadMessage marks a body that is not a usable AutoX3 callback (answered 400).
var errBadMessage = errors.New("bad message")

func badMessage(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errBadMessage}, args...)...)
}

// topLevelMembers maps each top-level key of a JSON object to the exact bytes of its value.
// A json.Decoder walk keeps key case and order (struct fields would match `msgid` too)
// and lets duplicate keys be refused: with two msgIds, each side could sign another one.
func topLevelMembers(body []byte) (map[string]json.RawMessage, error) {
	if !utf8.Valid(body) || !json.Valid(body) {
		return nil, badMessage("not valid UTF-8 JSON")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		return nil, badMessage("not a JSON object")
	}
	members := map[string]json.RawMessage{}
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
		if _, seen := members[key]; seen {
			return nil, badMessage("duplicate key %q", key)
		}
		members[key] = raw
	}
	return members, nil
}

func required(members map[string]json.RawMessage, name string) ([]byte, error) {
	raw, ok := members[name]
	if !ok {
		return nil, badMessage("missing %s", name)
	}
	return raw, nil
}

func stringMember(members map[string]json.RawMessage, name string) (string, error) {
	raw, err := required(members, name)
	if err != nil {
		return "", err
	}
	var s string
	if raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", badMessage("%s is not a string", name)
	}
	return s, nil
}

// decodedIfString is a member's exact text, or its decoded value when sent as a JSON string.
func decodedIfString(members map[string]json.RawMessage, name string) (string, error) {
	raw, err := required(members, name)
	if err != nil || raw[0] != '"' {
		return string(raw), err
	}
	return stringMember(members, name)
}

// signedString is what AutoX3 hashes, from the members' exact text.
func signedString(members map[string]json.RawMessage, secret string) ([]byte, error) {
	var parts [5]string
	var err error
	if parts[0], err = stringMember(members, "msgId"); err != nil {
		return nil, err
	}
	if parts[1], err = stringMember(members, "msgType"); err != nil {
		return nil, err
	}
	staffInfo, err := required(members, "staffInfo")
	if err != nil {
		return nil, err
	}
	parts[2] = string(staffInfo) // exact text, whatever its type
	if parts[3], err = decodedIfString(members, "createTime"); err != nil {
		return nil, err // a createTime sent as a string has its digits signed
	}
	if !digits.MatchString(parts[3]) {
		return nil, badMessage("createTime is not whole milliseconds (digits only)")
	}
	if parts[4], err = decodedIfString(members, "content"); err != nil {
		return nil, err // a content sent as a JSON string has its decoded text signed
	}
	return []byte(strings.Join(parts[:], "") + secret), nil
}

// verify returns the msgId of a callback whose signature holds, or why it does not.
// An error wrapping errBadMessage means the body is not a usable callback.
func verify(body []byte, secret string) (msgID string, reason string, err error) {
	members, err := topLevelMembers(body)
	if err != nil {
		return "", "", err
	}
	if _, ok := members["msgSignature"]; !ok {
		return "", "no msgSignature", nil
	}
	received, err := stringMember(members, "msgSignature")
	if err != nil {
		return "", "", err
	}
	signed, err := signedString(members, secret)
	if err != nil {
		return "", "", err
	}
	sum := sha1.Sum(signed)
	expected := hex.EncodeToString(sum[:])
	// Hex is compared case-insensitively (the vendor prints upper case), and in constant
	// time, so that response timing does not reveal how much of a guess matched.
	got := []byte(strings.ToLower(strings.TrimSpace(received)))
	if subtle.ConstantTimeCompare(got, []byte(expected)) != 1 {
		return "", "signature does not match", nil
	}
	id, err := stringMember(members, "msgId")
	return id, "", err
}

// receiver verifies, then de-duplicates by msgId: the sender retries until it gets the
// normal response, so a duplicate is answered normally and not processed again.
type receiver struct {
	secret string
	mu     sync.Mutex
	seen   map[string]bool // in production: a unique key in your database
}

// handle returns the HTTP status, the response body and a log line.
func (r *receiver) handle(body []byte) (int, string, string) {
	id, reason, err := verify(body, r.secret)
	if err != nil {
		return http.StatusBadRequest, refusal(err.Error()), "refused (400): " + err.Error()
	}
	if reason != "" {
		return http.StatusUnauthorized, refusal(reason), "refused (401): " + reason
	}
	r.mu.Lock()
	duplicate := r.seen[id]
	r.seen[id] = true
	r.mu.Unlock()
	if duplicate {
		return http.StatusOK, normalResponse, "duplicate " + id
	}
	// Process the callback here (before answering: the answer tells AutoX3 it was taken).
	return http.StatusOK, normalResponse, "processed " + id
}

func refusal(reason string) string {
	text, _ := json.Marshal(reason)
	return `{"data":null,"errorInfo":` + string(text) + `,"status":1}`
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	status, answer, line := http.StatusMethodNotAllowed, refusal("POST a callback"), "refused (405)"
	if req.Method == http.MethodPost {
		body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, maxBody))
		if err != nil {
			status, answer, line = http.StatusRequestEntityTooLarge, refusal("body too large"), "refused (413)"
		} else {
			status, answer, line = r.handle(body)
		}
	}
	fmt.Println(line)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, answer)
}

func main() {
	secret := os.Getenv("CBTOOL_AUTOX3_SECRET")
	if secret == "" {
		fmt.Fprintln(os.Stderr, "error: set CBTOOL_AUTOX3_SECRET to the appSecret")
		os.Exit(2)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}
	listener, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err == nil {
		fmt.Println("listening on http://" + listener.Addr().String())
		err = http.Serve(listener, &receiver{secret: secret, seen: map[string]bool{}})
	}
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(2)
}
