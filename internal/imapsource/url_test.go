package imapsource_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stsgate/stsgate/internal/imapsource"
)

var urlCases = []struct {
	in   string
	want imapsource.URL
	err  string // part of the error, "" for none
}{
	{in: "imaps://reports@mail.example.com/INBOX", want: imapsource.URL{Security: imapsource.ImplicitTLS, User: "reports", Host: "mail.example.com", Port: 993, Mailbox: "INBOX"}},
	{in: "imaps://reports@mail.example.com", want: imapsource.URL{User: "reports", Host: "mail.example.com", Port: 993, Mailbox: "INBOX"}},
	{in: "imaps://reports@mail.example.com/", want: imapsource.URL{User: "reports", Host: "mail.example.com", Port: 993, Mailbox: "INBOX"}},
	{in: "imap://reports@mail.example.com/TLS%20Reports", want: imapsource.URL{Security: imapsource.StartTLS, User: "reports", Host: "mail.example.com", Port: 143, Mailbox: "TLS Reports"}},
	{in: "IMAPS://tlsrpt@example.com@outlook.office365.com:1993/INBOX/tlsrpt", want: imapsource.URL{User: "tlsrpt@example.com", Host: "outlook.office365.com", Port: 1993, Mailbox: "INBOX/tlsrpt"}},
	{in: "imaps://tlsrpt%40example.com@[2001:db8::1]/INBOX", want: imapsource.URL{User: "tlsrpt@example.com", Host: "2001:db8::1", Port: 993, Mailbox: "INBOX"}},
	{in: "imaps://mail.example.com/INBOX", err: "no user"},
	{in: "imaps://@mail.example.com/INBOX", err: "no user"},
	{in: "imaps://reports:hunter2@mail.example.com/INBOX", err: "password in the URL is refused"},
	{in: "imaps://reports:@mail.example.com/INBOX", err: "password in the URL is refused"},
	{in: "https://reports@mail.example.com/INBOX", err: `scheme "https"`},
	{in: "mail.example.com", err: `scheme ""`},
	{in: "imaps:reports@mail.example.com", err: "write the host after //"},
	{in: "imaps://reports@/INBOX", err: "no host"},
	{in: "imaps://reports@mail.example.com/INBOX?unseen", err: "query"},
	{in: "imaps://reports@mail.example.com/INBOX?", err: "query"},
	{in: "imaps://reports@mail.example.com/INBOX#x", err: "fragment"},
	{in: "imaps://reports@mail.example.com:0/INBOX", err: "port"},
	{in: "imap://reports@::", err: "not a host name"},
	{in: "imap://reports@mail_example.com", err: "not a host name"},
	{in: "imaps://reports@mail.example.com:99999/INBOX", err: "port"},
	{in: "imaps://reports@mail.example.com:x/INBOX", err: "invalid port"},
	{in: "imaps://rep\x00orts:hunter2@mail.example.com/INBOX", err: "control character"},
}

func TestParseURL(t *testing.T) {
	for _, tc := range urlCases {
		got, err := imapsource.ParseURL(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseURL(%q) error = %v; want one holding %q", tc.in, err, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("ParseURL(%q) error %q holds the password", tc.in, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tc.in, err)
			continue
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("ParseURL(%q) mismatch (-want +got):\n%s", tc.in, diff)
		}
		if again, err := imapsource.ParseURL(got.String()); err != nil || again != got {
			t.Errorf("ParseURL(%q) = %v, %v; want the URL back", got.String(), again, err)
		}
	}
}

func TestURLString(t *testing.T) {
	for in, want := range map[string]string{
		"IMAPS://reports@mail.example.com:993/INBOX":         "imaps://reports@mail.example.com/INBOX",
		"imap://reports@mail.example.com:143":                "imap://reports@mail.example.com/INBOX",
		"imaps://a%40b.example@[2001:db8::1]:1993/TLS%20Rpt": "imaps://a%40b.example@[2001:db8::1]:1993/TLS%20Rpt",
	} {
		u, err := imapsource.ParseURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseURL(%q).String() = %q, %v; want %q", in, u.String(), err, want)
		}
	}
}

// FuzzParseURL: no panic; a password in the user info is never echoed,
// whatever follows it; a parsed URL formats to one that parses to the
// same value.
func FuzzParseURL(f *testing.F) {
	for _, tc := range urlCases {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		for _, prefix := range []string{"imaps://u:hunter2@", "x:hunter2@"} {
			_, err := imapsource.ParseURL(prefix + in)
			if err == nil || strings.Contains(err.Error(), "hunter2") && !strings.Contains(in, "hunter2") {
				t.Errorf("ParseURL(%q) error = %v; want one without the password", prefix+in, err)
			}
		}
		u, err := imapsource.ParseURL(in)
		if err != nil {
			return
		}
		if again, err := imapsource.ParseURL(u.String()); err != nil || again != u {
			t.Errorf("ParseURL(%q) = %+v; ParseURL(%q) = %+v, %v", in, u, u.String(), again, err)
		}
	})
}
