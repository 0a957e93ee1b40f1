package tlsrpt

import "time"

// utcDay is a UTC date as days since the Unix epoch.
type utcDay int

func dayOf(t time.Time) utcDay {
	return utcDay(t.UTC().Unix() / 86400)
}

// String returns the date as YYYY-MM-DD.
func (d utcDay) String() string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(time.DateOnly)
}

// dayRange is the half-open range of UTC days [first, end).
type dayRange struct{ first, end utcDay }

// spanOf returns the UTC days that [start, end) overlaps (RFC 8460 §4.1:
// a report normally covers one UTC utcDay; J4: some cover seven).
func spanOf(start, end time.Time) dayRange {
	s := dayRange{dayOf(start), dayOf(end)}
	if !end.Equal(end.Truncate(24*time.Hour)) || s.end == s.first {
		s.end++ // end is exclusive: a report ending at midnight does not touch that utcDay
	}
	return s
}

func (s dayRange) days() int { return int(s.end - s.first) }
