// The reference side of goship's template tests: Go's own text/template with a function set
// written after GoReleaser v2.15.1's documented behaviour (internal/tmpl). It reads a corpus
// (JSON) and prints, for every case, the output or the error, as JSON.
//
//	template-oracle CORPUS.json WORKDIR
package main

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha3"
	"crypto/sha512"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/semver/v3"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/blake2s"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
	"lukechampine.com/blake3"

	gctx "goship.local/template-oracle/context"
	"goship.local/template-oracle/tmpl"
)

type corpus struct {
	Fixtures map[string]json.RawMessage `json:"fixtures"`
	Cases    []tcase                    `json:"cases"`
}

type tcase struct {
	ID         string            `json:"id"`
	T          string            `json:"t"`
	Data       json.RawMessage   `json:"data"`
	Name       string            `json:"name"`
	MissingKey string            `json:"missingkey"`
	Now        string            `json:"now"`
	Env        map[string]string `json:"env"`
	Files      map[string]string `json:"files"`
}

type result struct {
	ID  string  `json:"id"`
	Out *string `json:"out,omitempty"`
	Err *string `json:"err,omitempty"`
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	check(err)
	work := os.Args[2]
	var c corpus
	check(json.Unmarshal(raw, &c))
	fixtures := map[string]any{}
	for k, v := range c.Fixtures {
		fixtures[k] = decode(v)
	}
	var results []result
	for i, tc := range c.Cases {
		dir := filepath.Join(work, fmt.Sprintf("case-%d", i))
		check(os.MkdirAll(dir, 0o755))
		for name, content := range tc.Files {
			p := filepath.Join(dir, name)
			check(os.MkdirAll(filepath.Dir(p), 0o755))
			check(os.WriteFile(p, []byte(content), 0o644))
		}
		check(os.Chdir(dir))
		results = append(results, run(tc, fixtures, filepath.Join(work, "home")))
	}
	out, err := json.Marshal(results)
	check(err)
	os.Stdout.Write(out)
}

func run(tc tcase, fixtures map[string]any, home string) (r result) {
	r.ID = tc.ID
	var data any
	if len(tc.Data) > 0 {
		var ref string
		if json.Unmarshal(tc.Data, &ref) == nil && strings.HasPrefix(ref, "@") {
			data = fixtures[ref[1:]]
		} else {
			data = decode(tc.Data)
		}
	}
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	if tc.Now != "" {
		var err error
		now, err = time.Parse(time.RFC3339Nano, tc.Now)
		check(err)
	}
	env := gctx.Env(tc.Env)
	if m, ok := data.(tmpl.Fields); ok {
		if e, ok := m["Env"].(gctx.Env); ok {
			env = e
		}
	}
	name := tc.Name
	if name == "" {
		name = "tmpl"
	}
	mk := tc.MissingKey
	if mk == "" {
		mk = "error"
	}
	defer func() {
		if p := recover(); p != nil {
			s := fmt.Sprint("panic: ", p)
			r.Err = &s
		}
	}()
	t, err := template.New(name).Option("missingkey=" + mk).Funcs(funcs(env, now, home)).Parse(tc.T)
	if err != nil {
		s := err.Error()
		r.Err = &s
		return
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		s := err.Error()
		r.Err = &s
		return
	}
	s := b.String()
	r.Out = &s
	return
}

// decode turns the corpus's typed JSON into Go values: plain JSON as JSON-decoded
// (integral numbers as int), {"$go": TYPE, "v": ...} for a chosen type.
func decode(raw json.RawMessage) any {
	var x any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	check(d.Decode(&x))
	return conv(x)
}

func conv(x any) any {
	switch v := x.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		check(err)
		if f == math.Trunc(f) && math.Abs(f) < 1<<63 && !math.IsInf(f, 0) {
			return int(f)
		}
		return f
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = conv(e)
		}
		return out
	case map[string]any:
		if t, ok := v["$go"].(string); ok {
			return typed(t, v["v"])
		}
		out := map[string]any{}
		for k, e := range v {
			out[k] = conv(e)
		}
		return out
	}
	return x
}

// num accepts a JSON number or a decimal string (for 64-bit values beyond JSON's safe range).
func num(x any) json.Number { return json.Number(fmt.Sprint(x)) }

func typed(t string, v any) any {
	switch t {
	case "int":
		n, err := num(v).Int64()
		check(err)
		return int(n)
	case "int64":
		n, err := strconv.ParseInt(string(num(v)), 10, 64)
		check(err)
		return n
	case "int32":
		n, err := strconv.ParseInt(string(num(v)), 10, 32)
		check(err)
		return int32(n)
	case "uint64":
		n, err := strconv.ParseUint(string(num(v)), 10, 64)
		check(err)
		return n
	case "uint8":
		n, err := strconv.ParseUint(string(num(v)), 10, 8)
		check(err)
		return uint8(n)
	case "float64":
		f, err := num(v).Float64()
		check(err)
		return f
	case "string":
		return v.(string)
	case "[]string":
		var out []string
		for _, e := range v.([]any) {
			out = append(out, e.(string))
		}
		if out == nil {
			out = []string{}
		}
		return out
	case "[]int":
		out := []int{}
		for _, e := range v.([]any) {
			n, err := num(e).Int64()
			check(err)
			out = append(out, int(n))
		}
		return out
	case "map[string]string", "context.Env":
		out := map[string]string{}
		for k, e := range v.(map[string]any) {
			out[k] = e.(string)
		}
		if t == "context.Env" {
			return gctx.Env(out)
		}
		return out
	case "map[string]int":
		out := map[string]int{}
		for k, e := range v.(map[string]any) {
			n, err := num(e).Int64()
			check(err)
			out[k] = int(n)
		}
		return out
	case "tmpl.Fields":
		out := tmpl.Fields{}
		for k, e := range v.(map[string]any) {
			out[k] = conv(e)
		}
		return out
	case "time.Time":
		tm, err := time.Parse(time.RFC3339Nano, v.(string))
		check(err)
		return tm
	case "context.Runtime":
		m := v.(map[string]any)
		return gctx.Runtime{Goos: m["Goos"].(string), Goarch: m["Goarch"].(string)}
	case "nil[]string":
		return []string(nil)
	case "nilmap":
		return map[string]any(nil)
	}
	panic("unknown type tag " + t)
}

func funcs(env gctx.Env, now time.Time, home string) template.FuncMap {
	return template.FuncMap{
		"replace":       strings.ReplaceAll,
		"split":         strings.Split,
		"time":          func(s string) string { return now.UTC().Format(s) },
		"contains":      strings.Contains,
		"tolower":       strings.ToLower,
		"toupper":       strings.ToUpper,
		"trim":          strings.TrimSpace,
		"trimprefix":    strings.TrimPrefix,
		"trimsuffix":    strings.TrimSuffix,
		"title":         cases.Title(language.English).String,
		"dir":           filepath.Dir,
		"base":          filepath.Base,
		"abs":           filepath.Abs,
		"incmajor":      func(v string) string { return vprefix(v) + semver.MustParse(v).IncMajor().String() },
		"incminor":      func(v string) string { return vprefix(v) + semver.MustParse(v).IncMinor().String() },
		"incpatch":      func(v string) string { return vprefix(v) + semver.MustParse(v).IncPatch().String() },
		"filter":        lineFilter(false),
		"reverseFilter": lineFilter(true),
		"mdv2escape":    mdv2.Replace,
		"envOrDefault": func(n, d string) string {
			if s, ok := env[n]; ok {
				return s
			}
			return d
		},
		"isEnvSet": func(n string) bool { s, ok := env[n]; return ok && s != "" },
		"map":      makeMap,
		"indexOrDefault": func(m map[string]string, k, d string) string {
			if s, ok := m[k]; ok {
				return s
			}
			return d
		},
		"urlPathEscape": url.PathEscape,
		"blake2b":       sum(func() hash.Hash { h, _ := blake2b.New512(nil); return h }),
		"blake2s":       sum(func() hash.Hash { h, _ := blake2s.New256(nil); return h }),
		"blake3":        sum(func() hash.Hash { return blake3.New(32, nil) }),
		"crc32":         sum(func() hash.Hash { return crc32.NewIEEE() }),
		"md5":           sum(md5.New),
		"sha224":        sum(sha256.New224),
		"sha384":        sum(sha512.New384),
		"sha256":        sum(sha256.New),
		"sha1":          sum(sha1.New),
		"sha512":        sum(sha512.New),
		"sha3_224":      sum(func() hash.Hash { return sha3.New224() }),
		"sha3_384":      sum(func() hash.Hash { return sha3.New384() }),
		"sha3_256":      sum(func() hash.Hash { return sha3.New256() }),
		"sha3_512":      sum(func() hash.Hash { return sha3.New512() }),
		"readFile":      func(p string) string { s, _ := mustReadFile(home, p); return s },
		"mustReadFile":  func(p string) (string, error) { return mustReadFile(home, p) },
		"englishJoin":   englishJoin,
		"list":          func(in ...string) []string { return in },
	}
}

func vprefix(v string) string {
	if v != "" && v[0] == 'v' {
		return "v"
	}
	return ""
}

func lineFilter(reverse bool) func(content, exp string) string {
	return func(content, exp string) string {
		re := regexp.MustCompilePOSIX(exp)
		var lines []string
		for line := range strings.SplitSeq(content, "\n") {
			if re.MatchString(line) == reverse {
				continue
			}
			lines = append(lines, line)
		}
		return strings.Join(lines, "\n")
	}
}

var mdv2 = strings.NewReplacer("_", "\\_", "*", "\\*", "[", "\\[", "]", "\\]", "(", "\\(", ")", "\\)", "~", "\\~", "`", "\\`", ">", "\\>", "#", "\\#", "+", "\\+", "-", "\\-", "=", "\\=", "|", "\\|", "{", "\\{", "}", "\\}", ".", "\\.", "!", "\\!")

func makeMap(kvs ...string) (map[string]string, error) {
	if len(kvs)%2 != 0 {
		return nil, fmt.Errorf("map expects even number of arguments, got %d", len(kvs))
	}
	m := map[string]string{}
	for i := 0; i < len(kvs); i += 2 {
		m[kvs[i]] = kvs[i+1]
	}
	return m, nil
}

func sum(newHash func() hash.Hash) func(string) (string, error) {
	return func(path string) (string, error) {
		f, err := os.Open(path)
		if err != nil {
			return "", fmt.Errorf("failed to checksum: %w", err)
		}
		defer f.Close()
		h := newHash()
		if _, err := io.Copy(h, f); err != nil {
			return "", fmt.Errorf("failed to checksum: %w", err)
		}
		return hex.EncodeToString(h.Sum(nil)), nil
	}
}

func mustReadFile(home, path string) (string, error) {
	if strings.HasPrefix(path, "~/") {
		path = home + path[1:]
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(string(b)), nil
}

func englishJoin(ss []string) string {
	ss = slices.DeleteFunc(ss, func(s string) bool { return strings.TrimSpace(s) == "" })
	var b strings.Builder
	for i, s := range ss {
		switch {
		case i == 0:
			b.WriteString(s)
		case len(ss) > 1 && i == len(ss)-1:
			if i > 1 {
				b.WriteRune(',')
			}
			b.WriteString(" and " + s)
		default:
			b.WriteString(", " + s)
		}
	}
	return b.String()
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "template-oracle:", err)
		os.Exit(2)
	}
}
