package imapsource

import (
	"errors"

	"github.com/emersion/go-sasl"
)

// xoauth2 is the client side of Google's and Microsoft's XOAUTH2 SASL
// mechanism, which go-sasl does not provide:
// https://developers.google.com/gmail/imap/xoauth2-protocol and
// https://learn.microsoft.com/exchange/client-developer/legacy-protocols/how-to-authenticate-an-imap-pop-smtp-application-by-using-oauth
type xoauth2 struct {
	user, token string
	failed      bool
}

var _ sasl.Client = (*xoauth2)(nil)

func (x *xoauth2) Start() (string, []byte, error) {
	return "XOAUTH2", []byte("user=" + x.user + "\x01auth=Bearer " + x.token + "\x01\x01"), nil
}

// Next answers the server's error challenge (a base64 JSON status) with
// the empty response the protocol asks for, after which the server sends
// its NO; a second challenge is a protocol error.
func (x *xoauth2) Next([]byte) ([]byte, error) {
	if x.failed {
		return nil, errors.New("xoauth2: unexpected second challenge")
	}
	x.failed = true
	return []byte{}, nil
}

// oauthBearer is go-sasl's OAUTHBEARER client, finishing a failed
// exchange as RFC 7628 §3.2.3 asks: the server's error challenge (a JSON
// status) is answered with the dummy response %x01, after which the
// server sends its NO. go-sasl's client stops at the challenge, which
// leaves the server waiting ("client didn't finish SASL auth"). The
// status is kept for the error.
type oauthBearer struct {
	sasl.Client
	status error // the server's error challenge, once one came
}

func (o *oauthBearer) Next(challenge []byte) ([]byte, error) {
	if o.status != nil {
		return nil, errors.New("oauthbearer: unexpected second challenge")
	}
	_, err := o.Client.Next(challenge)
	var status *sasl.OAuthBearerError
	if !errors.As(err, &status) {
		return nil, err
	}
	o.status = err
	return []byte{0x01}, nil
}
