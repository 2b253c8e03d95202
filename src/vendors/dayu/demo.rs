//! Dayu's part of `cbtool demo`: order 5577 from creation to acceptance by Dayu, in the
//! order it happens, one delivery cut off (the connection closed) on the way.

use crate::fixture;
use crate::vendors::script::{DemoStep, Fault};

pub(crate) static SCRIPT: [DemoStep; 8] = [
    DemoStep::new(fixture!("dayu/events/01-created.json"), &[]),
    DemoStep::new(fixture!("dayu/events/02-assigned.json"), &[]),
    DemoStep::new(fixture!("dayu/events/03-accepted.json"), &[]),
    DemoStep::new(fixture!("dayu/events/04-appointment.json"), &[Fault::Close]),
    DemoStep::new(fixture!("dayu/events/05-service-started.json"), &[]),
    DemoStep::new(fixture!("dayu/events/06-service-record.json"), &[]),
    DemoStep::new(fixture!("dayu/events/07-submitted.json"), &[]),
    DemoStep::new(fixture!("dayu/events/08-accepted-by-dayu.json"), &[]),
];
