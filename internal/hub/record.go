package hub

import (
	"encoding/json"
	"fmt"

	"nappe/internal/workshop"
)

// A log record holds the events of one command (creating a workshop makes several), so that a
// command is stored all at once or not at all.
func encodeRecord(events []workshop.Event) ([]byte, error) {
	b, err := json.Marshal(events)
	if err != nil {
		return nil, fmt.Errorf("encode record: %w", err)
	}
	return b, nil
}

func decodeRecord(data []byte) ([]workshop.Event, error) {
	var events []workshop.Event
	if err := json.Unmarshal(data, &events); err != nil {
		return nil, fmt.Errorf("decode record: %w", err)
	}
	return events, nil
}
