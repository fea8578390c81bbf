package main

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func get(t *testing.T, url, bearer string) (int, http.Header, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	req.Header.Set("Authorization", "Bearer "+bearer)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(body)
}

// A facilitator downloads the report and the notes; e-mails only when asked; nobody else may.
func TestExportsAreForFacilitators(t *testing.T) {
	s := startServer(t, "--data", t.TempDir())
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	pa := online(t, s, c.Workshop.ID, ada.token)
	pa.waitFor("ack", answer(pa.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "=1+1 un processus incrémental"})))

	base := s.url + "/api/workshops/" + c.Workshop.ID
	st, h, md := get(t, base+"/report.md?lang=en", c.FacilitatorKey)
	if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/markdown") || !strings.Contains(md, "# Café test") ||
		!strings.Contains(md, "un processus incrémental") || strings.Contains(md, "ada@example.org") {
		t.Fatalf("report: %d %v\n%s", st, h, md)
	}
	if !strings.Contains(h.Get("Content-Disposition"), "nappe-"+c.Workshop.Code+".md") {
		t.Errorf("disposition: %q", h.Get("Content-Disposition"))
	}
	if _, _, md := get(t, base+"/report.md?emails=1", c.FacilitatorKey); !strings.Contains(md, "ada@example.org") {
		t.Errorf("report with e-mails lacks them:\n%s", md)
	}
	st, _, csv := get(t, base+"/notes.csv?lang=fr", c.FacilitatorKey)
	if st != 200 || !strings.HasPrefix(csv, "\ufeff") || !strings.Contains(csv, "\r\n") || !strings.Contains(csv, "'=1+1") || !strings.Contains(csv, ";") {
		t.Fatalf("notes.csv: %d %q", st, csv)
	}
	for _, key := range []string{c.BoardKey, ada.token} {
		if st, _, _ := get(t, base+"/report.md", key); st != 403 {
			t.Errorf("report for a non-facilitator: %d", st)
		}
	}
}
