//! One Dayu order's whole history, in the order the callbacks are sent. Every path keeps
//! `serviceProgessTimeNum` strictly increasing: the number names the step, so a receiver
//! that de-duplicates by `orderId/serviceProgessTimeNum` sees each callback once.

use super::sample::{self as dayu, Order, Step};
use crate::sample::{Generator, LifecyclePath, Sample};

/// From creation to submission for acceptance: the first seven steps, in order.
const SERVED: &[Step] = Step::ALL.split_at(7).0;

/// The steps of a path: complete ends with Dayu's acceptance; cancellation comes after 1
/// to 4 of the first steps, before the service starts; rework stops at the rework itself,
/// since the repeated service steps would reuse progress numbers 5–8.
pub(crate) fn steps(g: &mut Generator, path: LifecyclePath) -> Vec<Step> {
    let mut steps = match path {
        LifecyclePath::Complete | LifecyclePath::Rework => SERVED.to_vec(),
        LifecyclePath::Cancel => SERVED[..g.rng.range(1, 4) as usize].to_vec(),
    };
    steps.push(match path {
        LifecyclePath::Complete => Step::AcceptedByDayu,
        LifecyclePath::Cancel => Step::Cancelled,
        LifecyclePath::Rework => Step::Rework,
    });
    steps
}

/// Every callback of one new order along `path`.
pub(crate) fn history(g: &mut Generator, path: LifecyclePath) -> Vec<Sample> {
    let steps = steps(g, path);
    let mut order = Order::new(g);
    steps
        .into_iter()
        .map(|step| dayu::event(g, &mut order, step))
        .collect()
}

/// One callback of a new order at a random step.
pub(crate) fn single(g: &mut Generator) -> Sample {
    let step = *g.rng.pick(&Step::ALL);
    let mut order = Order::new(g);
    dayu::event(g, &mut order, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_increases_and_ends_as_named() {
        for seed in 0..50 {
            let mut g = Generator::new(seed);
            for (path, last) in [
                (LifecyclePath::Complete, Step::AcceptedByDayu),
                (LifecyclePath::Cancel, Step::Cancelled),
                (LifecyclePath::Rework, Step::Rework),
            ] {
                let steps = steps(&mut g, path);
                assert_eq!(steps[0], Step::Created);
                assert_eq!(steps.last(), Some(&last));
                assert!(steps.windows(2).all(|w| w[0].progress() < w[1].progress()));
            }
        }
    }
}
