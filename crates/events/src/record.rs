//! A record as the readers hand it to the analyzer: the raw fields of one event ([`RawEvent`],
//! from XML or from the `.evtx` fast path) and their typing into an activation event, or why
//! it is not one ([`Unused`]).

use volact_core::event::{Event, Timestamp, is_activation_provider, parse_data};

/// The raw fields of one `<Event>`, before typing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawEvent {
    /// `System/Provider/@Name` (or `@EventSourceName` when the name is missing).
    pub provider: Option<String>,
    /// `System/EventID`.
    pub id: Option<u32>,
    /// `System/TimeCreated/@SystemTime`.
    pub time: Option<Timestamp>,
    /// `System/EventRecordID`.
    pub record_id: Option<u64>,
    /// `System/Channel`.
    pub channel: Option<String>,
    /// `System/Computer`.
    pub computer: Option<String>,
    /// `EventData/Data` texts (or the leaf texts of `UserData`), in order.
    pub items: Vec<String>,
    /// Whether more items than [`MAX_ITEMS`](crate::xml::limits::MAX_ITEMS) were present.
    pub items_cut: bool,
}

/// Why a raw event did not become an activation event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unused {
    /// Another provider, or an event ID without meaning for activation.
    NotActivation,
    /// No `EventID`.
    NoId,
    /// An activation event whose data could not be read.
    Bad(volact_core::event::InfoError),
}

impl RawEvent {
    /// Types the event: `Ok` for Security-SPP / Security-Licensing-SLC events (and, when the
    /// provider is unknown, for the typed IDs), otherwise why not.
    pub fn into_event(self) -> Result<Event, Unused> {
        let items: Vec<&str> = self.items.iter().map(String::as_str).collect();
        make_event(
            self.provider,
            self.id,
            self.time,
            self.record_id,
            self.channel,
            self.computer,
            &items,
        )
    }
}

/// Types one event from its raw fields (see [`RawEvent::into_event`]); the fast path of `.evtx`
/// reading calls it with items borrowed from a reused buffer.
pub(crate) fn make_event(
    provider: Option<String>,
    id: Option<u32>,
    time: Option<Timestamp>,
    record_id: Option<u64>,
    channel: Option<String>,
    computer: Option<String>,
    items: &[&str],
) -> Result<Event, Unused> {
    let id = id.ok_or(Unused::NoId)?;
    let typed = volact_core::event::TYPED_IDS.contains(&id);
    match provider.as_deref().map(is_activation_provider) {
        Some(true) => {}
        None if typed => {}
        _ => return Err(Unused::NotActivation),
    }
    let data = parse_data(id, items).map_err(Unused::Bad)?;
    Ok(Event {
        id,
        provider,
        channel,
        time,
        computer,
        record_id,
        data,
    })
}
