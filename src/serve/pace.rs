//! How often one student's screen is redrawn. A redraw costs the server in proportion to the
//! window's cells (every widget is laid out and every cell compared with the last frame), so
//! the limit is a budget of cells per second, like the typing limit is a budget of bytes: a
//! student at 80x24 is never held back (the frame rate cap is reached first), while a client
//! with a 400x150 window that holds a key down gets a few frames a second instead of taking a
//! core from everyone else. Keys are never dropped: the app takes every one at once, and the
//! frame that is finally drawn shows the result of all of them.

use std::time::{Duration, Instant};

/// The pacing limits (part of [`super::rules::Limits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaceLimits {
    /// Cells one student's redraws may cost per second.
    pub cells_per_second: u32,
    /// Frames per second at most, whatever the window's size.
    pub frames_per_second: u32,
}

impl Default for PaceLimits {
    fn default() -> Self {
        // 80x24 (1,920 cells) at 30 frames a second is 57,600 cells: the frame cap binds first.
        // 200x60 gets 10 frames a second, the largest window drawn (see `Limits::max_cells`)
        // 6 a second.
        Self { cells_per_second: 120_000, frames_per_second: 30 }
    }
}

/// A token bucket of cells, refilled with time, plus the shortest gap between frames.
#[derive(Debug)]
pub struct Pace {
    limits: PaceLimits,
    /// Cells that may be drawn now, in thousandths (so a millisecond's refill is never lost).
    millicells: u64,
    /// At most one second's worth is saved up: a burst after a quiet spell (the reveal after a
    /// minute of reading) is drawn at once.
    burst: u64,
    refilled: Instant,
    last_frame: Option<Instant>,
}

impl Pace {
    pub fn new(limits: PaceLimits, now: Instant) -> Self {
        let burst = u64::from(limits.cells_per_second.max(1)) * 1000;
        Self { limits, millicells: burst, burst, refilled: now, last_frame: None }
    }

    /// How long to wait before a frame of `cells` may be drawn; zero: draw now.
    pub fn wait(&mut self, cells: u32, now: Instant) -> Duration {
        self.refill(now);
        let gap = self.min_gap();
        let since = self.last_frame.map_or(gap, |last| now.saturating_duration_since(last));
        let for_gap = gap.saturating_sub(since);
        // A frame larger than a whole second's budget waits for a full bucket, never forever.
        let cost = (u64::from(cells) * 1000).min(self.burst);
        let missing = cost.saturating_sub(self.millicells);
        let per_second = u64::from(self.limits.cells_per_second.max(1));
        // Thousandths of a cell over cells per second: milliseconds, rounded up.
        let for_cells = Duration::from_millis(missing.div_ceil(per_second));
        for_gap.max(for_cells)
    }

    /// A frame of `cells` was drawn now.
    pub fn spend(&mut self, cells: u32, now: Instant) {
        self.refill(now);
        let cost = (u64::from(cells) * 1000).min(self.burst);
        self.millicells = self.millicells.saturating_sub(cost);
        self.last_frame = Some(now);
    }

    fn min_gap(&self) -> Duration {
        Duration::from_secs(1) / self.limits.frames_per_second.max(1)
    }

    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.refilled);
        let millis = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
        if millis > 0 {
            let gained = millis.saturating_mul(u64::from(self.limits.cells_per_second));
            self.millicells = self.millicells.saturating_add(gained).min(self.burst);
            // Only whole milliseconds are counted, so none is counted twice or lost.
            self.refilled += Duration::from_millis(millis);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames drawn in `seconds` by a client that has a new frame ready every millisecond.
    fn frames_in(cells: u32, seconds: u64) -> u32 {
        let start = Instant::now();
        let mut pace = Pace::new(PaceLimits::default(), start);
        let mut now = start;
        let mut frames = 0;
        while now < start + Duration::from_secs(seconds) {
            if pace.wait(cells, now).is_zero() {
                pace.spend(cells, now);
                frames += 1;
            }
            now += Duration::from_millis(1);
        }
        frames
    }

    #[test]
    fn a_small_window_gets_the_full_frame_rate() {
        let frames = frames_in(80 * 24, 10);
        assert!((295..=301).contains(&frames), "80x24 over 10 s: {frames} frames");
    }

    #[test]
    fn a_huge_window_gets_frames_in_proportion_to_its_cost() {
        // 20,000 cells against 120,000 a second: 6 a second, plus the first second's burst.
        let frames = frames_in(20_000, 10);
        assert!((60..=67).contains(&frames), "20,000 cells over 10 s: {frames} frames");
        let middle = frames_in(200 * 60, 10);
        assert!((100..=111).contains(&middle), "200x60 over 10 s: {middle} frames");
    }

    #[test]
    fn after_a_quiet_spell_the_next_frame_is_drawn_at_once() {
        let start = Instant::now();
        let mut pace = Pace::new(PaceLimits::default(), start);
        for i in 0..10 {
            let now = start + Duration::from_millis(i * 200);
            pace.spend(20_000, now);
        }
        let later = start + Duration::from_secs(30);
        assert_eq!(pace.wait(20_000, later), Duration::ZERO);
    }

    #[test]
    fn the_wait_says_when_the_budget_allows_the_frame() {
        let start = Instant::now();
        let mut pace =
            Pace::new(PaceLimits { cells_per_second: 1000, frames_per_second: 30 }, start);
        pace.spend(1000, start);
        let wait = pace.wait(500, start);
        assert_eq!(wait, Duration::from_millis(500));
        assert_eq!(pace.wait(500, start + wait), Duration::ZERO);
        // Larger than the whole budget: waits for a full bucket, not forever.
        let mut pace =
            Pace::new(PaceLimits { cells_per_second: 1000, frames_per_second: 30 }, start);
        pace.spend(1000, start);
        assert_eq!(pace.wait(5000, start), Duration::from_secs(1));
    }
}
