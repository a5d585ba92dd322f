//! Calendar days, written `2026-11-24` in the record so that a person can read it. Reviews are
//! scheduled in whole days, like every spaced-repetition tool learners know.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar day, counted from 1970-01-01: a date with no time and no time zone, so a day
/// written in the record means the same wherever it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i64);

impl Day {
    /// Today in the learner's own time zone (`TZ`, else the system's), from the system clock:
    /// a learner far from UTC would otherwise see the next day's reviews fall due in the
    /// afternoon. Only the event loop and `main` call this.
    pub fn today() -> Self {
        Self::of(jiff::Timestamp::now().to_zoned(local_zone()).date())
    }

    /// The day of a calendar date.
    pub fn of(date: jiff::civil::Date) -> Self {
        Self(date.duration_since(EPOCH).as_secs().div_euclid(SECONDS_PER_DAY))
    }

    #[must_use]
    pub fn plus(self, days: i64) -> Self {
        Self(self.0 + days)
    }

    /// The calendar date of this day; a day beyond jiff's years -9999 to 9999 (only reachable
    /// by adding to a day near either end) is shown as that end rather than wrapping.
    pub fn date(self) -> jiff::civil::Date {
        jiff::Span::new()
            .try_days(self.0)
            .and_then(|span| EPOCH.checked_add(span))
            .unwrap_or(if self.0 < 0 { jiff::civil::Date::MIN } else { jiff::civil::Date::MAX })
    }

    /// (year, month, day).
    pub fn civil(self) -> (i64, u32, u32) {
        let date = self.date();
        let month = u32::try_from(date.month()).unwrap_or(1);
        let day = u32::try_from(date.day()).unwrap_or(1);
        (i64::from(date.year()), month, day)
    }
}

const EPOCH: jiff::civil::Date = jiff::civil::Date::constant(1970, 1, 1);
const SECONDS_PER_DAY: i64 = 86_400;

/// The learner's time zone, found as the C library finds it: `TZ` (a POSIX rule such as
/// `<+14>-14`, a zone name under `/usr/share/zoneinfo`, or the path of a zone file), else
/// `/etc/localtime`. jiff's own `TimeZone::system()` first lists every zone the system has
/// (a walk of `/usr/share/zoneinfo` that cost 3.3 million instructions, four tenths of a
/// start), which naming one zone does not need; whatever this does not understand still goes
/// to jiff.
pub fn local_zone() -> jiff::tz::TimeZone {
    use jiff::tz::TimeZone;
    use std::path::Path;
    // A zone file is a few KiB; only a regular file is read (never a pipe put in its place).
    let read = |path: &Path| {
        let data = crate::files::read_regular(path, 1 << 20).ok()?;
        TimeZone::tzif("Local", &data).ok()
    };
    let found = match std::env::var("TZ") {
        Ok(tz) if !tz.is_empty() => {
            let tz = tz.strip_prefix(':').unwrap_or(&tz);
            if tz.starts_with('/') {
                read(Path::new(tz))
            } else if tz.split('/').all(|part| !part.is_empty() && part != "..") {
                read(&Path::new("/usr/share/zoneinfo").join(tz))
                    .or_else(|| TimeZone::posix(tz).ok())
            } else {
                TimeZone::posix(tz).ok()
            }
        }
        _ => read(Path::new("/etc/localtime")),
    };
    found.unwrap_or_else(TimeZone::system)
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (year, month, day) = self.civil();
        write!(f, "{year:04}-{month:02}-{day:02}")
    }
}

impl FromStr for Day {
    type Err = String;

    /// A date like 2026-11-24 and nothing else: jiff rejects 2026-02-31 and years beyond 9999.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        jiff::civil::Date::strptime("%Y-%m-%d", text)
            .map(Self::of)
            .map_err(|_| format!("`{text}` is not a date like 2026-11-24"))
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Day {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_and_reads_calendar_dates() {
        assert_eq!(Day(0).to_string(), "1970-01-01");
        assert_eq!("2026-11-24".parse::<Day>().unwrap().to_string(), "2026-11-24");
        assert_eq!("2024-02-29".parse::<Day>().unwrap().plus(1).to_string(), "2024-03-01");
        for n in [-1000, 0, 59, 365 * 30 + 7, 20_416, 100_000] {
            assert_eq!(Day(n).to_string().parse::<Day>(), Ok(Day(n)));
        }
        // A hostile record's day pushed past year 9999 shows that end rather than panicking.
        assert_eq!(Day(i64::MAX).to_string(), "9999-12-31");
        assert_eq!(Day(i64::MIN).to_string(), "-9999-01-01");
    }

    #[test]
    fn today_is_the_date_in_the_learners_time_zone() {
        use jiff::tz::{Offset, TimeZone};
        // 23:30 UTC on 24 November: already the 25th at UTC+14, still the 24th at UTC-12.
        let instant: jiff::Timestamp = "2026-11-24T23:30:00Z".parse().unwrap();
        let at = |hours| Day::of(instant.to_zoned(TimeZone::fixed(Offset::constant(hours))).date());
        assert_eq!(at(0).to_string(), "2026-11-24");
        assert_eq!(at(14).to_string(), "2026-11-25");
        assert_eq!(at(-12).to_string(), "2026-11-24");
        let early: jiff::Timestamp = "2026-11-24T03:00:00Z".parse().unwrap();
        let day = Day::of(early.to_zoned(TimeZone::fixed(Offset::constant(-12))).date());
        assert_eq!(day.to_string(), "2026-11-23");
    }

    #[test]
    fn rejects_dates_that_do_not_exist() {
        for text in [
            "2026-02-30",
            "2026-13-01",
            "2026-11",
            "yesterday",
            "",
            "2026-11-24T10:00",
            "99999-01-01",
        ] {
            assert!(text.parse::<Day>().is_err(), "{text}");
        }
    }
}
