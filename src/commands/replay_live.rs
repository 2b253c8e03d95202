//! What `replay` shows while it runs: one line per attempt on stderr and, when stderr
//! is a terminal, a countdown bar for every message waiting for its next retry.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Write;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::replay::engine::{AttemptEvent, Observer};
use crate::replay::report::human;
use crate::replay::{Outgoing, State};

/// The engine's observer for people.
pub(crate) struct Live<'w> {
    sink: Sink<'w>,
}

enum Sink<'w> {
    Plain(RefCell<&'w mut dyn Write>),
    Terminal(Countdowns),
}

struct Countdowns {
    multi: MultiProgress,
    bars: RefCell<HashMap<usize, (ProgressBar, Instant, Duration)>>,
}

impl<'w> Live<'w> {
    /// Lines to `err`; on a terminal, the countdowns too (drawn by indicatif on stderr).
    pub(crate) fn new(err: &'w mut dyn Write, terminal: bool) -> Self {
        let sink = if terminal {
            Sink::Terminal(Countdowns {
                multi: MultiProgress::with_draw_target(ProgressDrawTarget::stderr()),
                bars: RefCell::default(),
            })
        } else {
            Sink::Plain(RefCell::new(err))
        };
        Live { sink }
    }

    /// Moves the countdowns on; never returns (the run ends by dropping it).
    pub(crate) async fn tick(&self) {
        let Sink::Terminal(countdowns) = &self.sink else {
            return std::future::pending().await;
        };
        loop {
            for (bar, start, total) in countdowns.bars.borrow().values() {
                let left = total.saturating_sub(start.elapsed());
                bar.set_position(u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX));
                bar.set_message(format!("in {:.1}s", left.as_secs_f64()));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Removes any countdown (before the summary is printed).
    pub(crate) fn clear(&self) {
        if let Sink::Terminal(c) = &self.sink {
            for (_, (bar, _, _)) in c.bars.borrow_mut().drain() {
                bar.finish_and_clear();
            }
        }
    }

    fn line(&self, text: &str) {
        match &self.sink {
            Sink::Plain(err) => {
                let _ = writeln!(err.borrow_mut(), "{text}");
            }
            Sink::Terminal(c) => {
                let _ = c.multi.println(text);
            }
        }
    }

    fn drop_bar(&self, index: usize) {
        if let Sink::Terminal(c) = &self.sink {
            if let Some((bar, _, _)) = c.bars.borrow_mut().remove(&index) {
                bar.finish_and_clear();
            }
        }
    }
}

impl Observer for Live<'_> {
    fn attempted(&self, event: &AttemptEvent) {
        self.drop_bar(event.index);
        self.line(&human::attempt_line(event));
    }

    fn waiting(&self, index: usize, message: &Outgoing, next_attempt: u32, wait: Duration) {
        let Sink::Terminal(c) = &self.sink else {
            return;
        };
        let total = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX);
        let bar = c.multi.add(ProgressBar::new(total.max(1)));
        if let Ok(style) = ProgressStyle::with_template("{prefix} [{bar:24}] {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(format!("  retry {next_attempt} of {}", message.source));
        bar.set_message(format!("in {:.1}s", wait.as_secs_f64()));
        c.bars
            .borrow_mut()
            .insert(index, (bar, Instant::now(), wait));
    }

    fn finished(&self, index: usize, _message: &Outgoing, _state: State) {
        self.drop_bar(index);
    }
}
