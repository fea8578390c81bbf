package fiberws

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// convertRequest turns the Fiber request into a net/http request that stays
// valid after the Fiber handler returns.
func convertRequest(fctx *fasthttp.RequestCtx) (*http.Request, error) {
	var r http.Request
	if err := fasthttpadaptor.ConvertRequest(fctx, &r, true); err != nil {
		return nil, fmt.Errorf("fiberws: convert request: %w", err)
	}
	return detach(&r)
}

// detach copies every string of r. ConvertRequest's strings point into
// fasthttp's request buffers, which fasthttp reuses for another request once
// the hijacked connection is done, and serve may keep what it read from r
// (a user agent, a query parameter) for longer than that.
func detach(r *http.Request) (*http.Request, error) {
	d := &http.Request{
		Method:     strings.Clone(r.Method),
		Proto:      strings.Clone(r.Proto),
		ProtoMajor: r.ProtoMajor,
		ProtoMinor: r.ProtoMinor,
		Host:       strings.Clone(r.Host),
		RequestURI: strings.Clone(r.RequestURI),
		RemoteAddr: strings.Clone(r.RemoteAddr),
		TLS:        r.TLS,
		Header:     make(http.Header, len(r.Header)),
		Body:       http.NoBody, // an upgrade request has no body worth keeping
	}
	u, err := url.ParseRequestURI(d.RequestURI)
	if err != nil {
		return nil, fmt.Errorf("fiberws: parse request URI: %w", err)
	}
	d.URL = u
	for k, vs := range r.Header {
		cvs := make([]string, len(vs))
		for i, v := range vs {
			cvs[i] = strings.Clone(v)
		}
		d.Header[strings.Clone(k)] = cvs
	}
	return d, nil
}
