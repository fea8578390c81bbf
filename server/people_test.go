package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/google/uuid"
	"golang.org/x/text/encoding/charmap"
)

// A facilitator imports the seed's kind of list (Windows-1252, semicolons, French headers): a
// preview first, then the import; each person gets a personal link that opens their phone as
// them; importing the same list again, or a list with people already there, doubles nobody.
func TestRosterImport(t *testing.T) {
	s := startServer(t)
	c := newCafé(t, s)
	// Zoé joined by herself, with another address than the list's: she is recognised by name.
	self := phone{id: uuid.NewString(), token: newToken()}
	if st := call(t, "POST", s.url+"/api/join/"+c.Workshop.Code, "", map[string]any{"id": self.id, "token": self.token,
		"name": "Zoé  MARTIN", "email": "zoe@perso.example"}, nil); st != 201 {
		t.Fatalf("join: %d", st)
	}
	list := "NOM;Prénom;Organisation;Mél\r\n" +
		"Dupré;Hélène;Télécom ParisTech;helene@example.org\r\n" +
		"Martin;Zoé;;zoe.martin@example.org\r\n" +
		"Ngo;Minh;\"Fing; Paris\";minh@example.org\r\n" +
		"Ngo;Minh;\"Fing; Paris\";minh@example.org\r\n" +
		"Sans;Courriel;;pas-une-adresse\r\n"
	file, err := charmap.Windows1252.NewEncoder().Bytes([]byte(list))
	if err != nil {
		t.Fatal(err)
	}
	base := s.url + "/api/workshops/" + c.Workshop.ID + "/roster"

	if st := call(t, "POST", base+"?preview=1", c.BoardKey, file, nil); st != 403 {
		t.Fatalf("the projector previewed a list: %d", st)
	}
	var preview struct {
		Encoding string `json:"encoding"`
		People   []struct {
			Name, Organisation string
			Existing           *string
		} `json:"people"`
		Issues []struct {
			Line int
			Code string
		} `json:"issues"`
	}
	if st := call(t, "POST", base+"?preview=1", c.FacilitatorKey, file, &preview); st != 200 {
		t.Fatalf("preview: %d", st)
	}
	// The line with a bad address is kept without it, and reported.
	if preview.Encoding != "windows-1252" || len(preview.People) != 4 || preview.People[0].Name != "Hélène Dupré" ||
		preview.People[2].Organisation != "Fing; Paris" {
		t.Fatalf("preview: %+v", preview)
	}
	issues := map[int]string{}
	for _, is := range preview.Issues {
		issues[is.Line] = is.Code
	}
	if issues[5] != "duplicate" || issues[6] != "bad_email" {
		t.Fatalf("issues: %v", preview.Issues)
	}
	if st := state(t, s, c); len(st["participants"].([]any)) != 1 {
		t.Fatal("a preview imported people")
	}
	if got := preview.People[1].Existing; got == nil || *got != self.id {
		t.Fatalf("Zoé, who joined by herself with another address, is not recognised: %v", got)
	}

	type imported struct {
		Imported int `json:"imported"`
		People   []struct {
			ID, Name string
			Existing *string
			Link     *string
		} `json:"people"`
	}
	importID := uuid.NewString()
	var first imported
	if st := call(t, "POST", base+"?import="+importID, c.FacilitatorKey, file, &first); st != 201 {
		t.Fatalf("import: %d", st)
	}
	if first.Imported != 3 || first.People[1].Existing == nil || first.People[0].Link == nil {
		t.Fatalf("import: %+v", first)
	}
	var again imported
	if st := call(t, "POST", base+"?import="+importID, c.FacilitatorKey, file, &again); st != 201 || again.Imported != 3 {
		t.Fatalf("retried import: %d %+v", st, again)
	}
	var other imported
	if st := call(t, "POST", base+"?import="+uuid.NewString(), c.FacilitatorKey, file, &other); st != 201 || other.Imported != 0 {
		t.Fatalf("the same list imported again: %+v", other)
	}
	st := state(t, s, c)
	if n := len(st["participants"].([]any)); n != 4 {
		t.Fatalf("%d participants, want 4 (Zoé, Hélène, Minh, Courriel)", n)
	}

	// The personal link opens a phone as that person.
	link := *first.People[0].Link
	token := strings.TrimPrefix(link[strings.Index(link, "#"):], "#t=")
	if !strings.HasPrefix(link, "/p/"+c.Workshop.ID+"#t=") {
		t.Fatalf("link %s", link)
	}
	phone := online(t, s, c.Workshop.ID, token)
	welcome := phone.seen[0]
	if welcome["participant"] != first.People[0].ID {
		t.Fatalf("the link opens %v, want %s", welcome, first.People[0].ID)
	}
	var links struct {
		Links []struct{ Participant, Link string } `json:"links"`
	}
	if st := call(t, "GET", s.url+"/api/workshops/"+c.Workshop.ID+"/personal-links", c.FacilitatorKey, nil, &links); st != 200 || len(links.Links) != 3 {
		t.Fatalf("personal links: %d %+v", st, links)
	}

	for name, body := range map[string][]byte{"empty": {}, "no names": []byte("colour;size\nred;3\n")} {
		var p map[string]any
		if st := call(t, "POST", base+"?preview=1", c.FacilitatorKey, body, &p); st != 400 {
			t.Errorf("%s: %d %v", name, st, p)
		}
	}
	if st := call(t, "POST", base+"?import=not-a-uuid", c.FacilitatorKey, file, nil); st != 400 {
		t.Errorf("import without an id: %d", st)
	}
}

// Exporting a workshop as JSON and importing it gives back the same workshop, under a new id,
// code and keys.
func TestExportImportRoundTrip(t *testing.T) {
	s := startServer(t)
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	bob := joinCafé(t, s, c, "Bob", c.tables[1])
	pa := online(t, s, c.Workshop.ID, ada.token)
	pb := online(t, s, c.Workshop.ID, bob.token)
	facCommand(t, s, c, "host.set", map[string]any{"table": c.tables[0], "participant": ada.id})
	facCommand(t, s, c, "round.start", map[string]any{})
	n1 := uuid.NewString()
	pa.waitFor("ack", answer(pa.cmd("note.post", map[string]any{"note": n1, "text": "Une idée 🙂"})))
	pb.waitFor("ack", answer(pb.cmd("note.post", map[string]any{"note": uuid.NewString(), "text": "Cachée"})))
	pa.waitFor("ack", answer(pa.cmd("synthesis.push", map[string]any{"doc": c.tables[0], "version": 0,
		"updates": []any{map[string]any{"clientID": "a", "changes": []any{[]any{0, "- écouter", "- partager"}}}}})))
	facCommand(t, s, c, "round.end", map[string]any{})

	var exported map[string]any
	if st := call(t, "GET", s.url+"/api/workshops/"+c.Workshop.ID+"/export.json", c.FacilitatorKey, nil, &exported); st != 200 {
		t.Fatalf("export: %d", st)
	}
	if st := call(t, "GET", s.url+"/api/workshops/"+c.Workshop.ID+"/export.json", c.BoardKey, nil, nil); st != 403 {
		t.Fatalf("the projector exported: %d", st)
	}
	if exported["format"] != "nappe.workshop" || exported["version"] != float64(1) {
		t.Fatalf("export header: %v %v", exported["format"], exported["version"])
	}
	var created struct {
		Workshop       struct{ ID, Code string }
		FacilitatorKey string
	}
	if st := call(t, "POST", s.url+"/api/workshops/import", "", exported, &created); st != 201 {
		t.Fatalf("import: %d", st)
	}
	if created.Workshop.ID == c.Workshop.ID || created.Workshop.Code == c.Workshop.Code {
		t.Fatal("the import reused the id or code")
	}
	var again map[string]any
	if st := call(t, "GET", s.url+"/api/workshops/"+created.Workshop.ID+"/export.json", created.FacilitatorKey, nil, &again); st != 200 {
		t.Fatalf("export of the import: %d", st)
	}
	for _, x := range []map[string]any{exported, again} {
		delete(x, "exportedAt")
		w := x["workshop"].(map[string]any)
		delete(w, "id")
		delete(w, "code")
		delete(w, "createdAt")
	}
	if !reflect.DeepEqual(exported, again) {
		t.Fatalf("round trip differs:\n%v\n%v", exported, again)
	}

	for name, body := range map[string]any{
		"not an export":   map[string]any{"format": "trello"},
		"unknown version": map[string]any{"format": "nappe.workshop", "version": 99},
		"dangling note": func() map[string]any {
			x := copyJSON(t, exported)
			x["notes"].([]any)[0].(map[string]any)["table"] = uuid.NewString()
			return x
		}(),
	} {
		var p map[string]any
		if st := call(t, "POST", s.url+"/api/workshops/import", "", body, &p); st < 400 || st >= 500 {
			t.Errorf("%s: %d %v", name, st, p)
		}
		if name == "not an export" && !strings.Contains(fmt.Sprint(p["detail"]), "not a Nappe workshop export") {
			t.Errorf("a file that is not an export: %v", p)
		}
	}
}

func copyJSON(t *testing.T, m map[string]any) map[string]any {
	t.Helper()
	var out map[string]any
	b, err := json.Marshal(m)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Deleting a workshop closes every connection with "no such workshop" and leaves nothing behind:
// its code, state and exports are gone.
func TestDeleteWorkshop(t *testing.T) {
	s := startServer(t)
	c := newCafé(t, s)
	ada := joinCafé(t, s, c, "Ada", c.tables[0])
	pa := online(t, s, c.Workshop.ID, ada.token)
	board := online(t, s, c.Workshop.ID, c.BoardKey)
	base := s.url + "/api/workshops/" + c.Workshop.ID
	if st := call(t, "DELETE", base, c.BoardKey, nil, nil); st != 403 {
		t.Fatalf("the projector deleted the workshop: %d", st)
	}
	if st := call(t, "DELETE", base, ada.token, nil, nil); st != 403 {
		t.Fatalf("a participant deleted the workshop: %d", st)
	}
	if st := call(t, "DELETE", base, c.FacilitatorKey, nil, nil); st != 204 {
		t.Fatalf("delete: %d", st)
	}
	for _, ws := range []*wsClient{pa, board} {
		if code := ws.closeCode(); code != 4004 {
			t.Fatalf("connection closed with %d, want 4004", code)
		}
	}
	if st := call(t, "GET", base+"/state", c.FacilitatorKey, nil, nil); st != 404 {
		t.Fatalf("state after deletion: %d", st)
	}
	if st := call(t, "GET", s.url+"/api/join/"+url.PathEscape(c.Workshop.Code), "", nil, nil); st != 404 {
		t.Fatalf("join code after deletion: %d", st)
	}
	if st := call(t, "DELETE", base, c.FacilitatorKey, nil, nil); st != 404 {
		t.Fatalf("deleting twice: %d", st)
	}
}
