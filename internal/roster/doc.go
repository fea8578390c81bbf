// Package roster reads the participant list a facilitator already has — a CSV or TSV file saved
// by Excel, LibreOffice or a registration tool — and turns it into people Nappe can import.
//
// Parse never asks the facilitator what the file is: it detects the encoding (UTF-8 with or
// without a byte-order mark, UTF-16 with a mark, otherwise Windows-1252, which is what Excel writes
// on French Windows), the delimiter (comma, semicolon or tab) and the columns, from French or
// English headers. It returns a Preview so the facilitator sees what will be imported before
// anything is: the people, and one Issue per problem, with the line of the file it is on.
//
// Decisions worth knowing:
//   - A bad or over-long e-mail or organisation does not lose the person: the field is dropped and
//     an Issue says so. A line without a usable name is not imported.
//   - The same person twice (same e-mail, or same name and organisation when one of the two lines
//     has no e-mail) is imported once; the later line is reported as a duplicate, and gives its
//     e-mail to the earlier one if that had none.
//   - Length limits are the workshop's own, so whatever Parse returns, the workshop accepts.
//
// Nothing here does I/O; the caller reads the upload and passes its bytes.
package roster
