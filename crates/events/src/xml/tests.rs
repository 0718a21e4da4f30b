use quick_xml::Reader;
use quick_xml::events::Event as XmlEvent;

use super::lexer::Lexer;
use super::*;
use volact_core::event::EventData;

const WEVTUTIL: &str = r#"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Security-SPP' Guid='{E23B33B0-C8C9-472C-A5F9-F2BDFEA0F156}' EventSourceName='Software Protection Platform Service'/><EventID Qualifiers='16384'>12288</EventID><Version>0</Version><Level>4</Level><Task>0</Task><Opcode>0</Opcode><Keywords>0x80000000000000</Keywords><TimeCreated SystemTime='2026-11-24T06:14:58.1234567Z'/><EventRecordID>4711</EventRecordID><Correlation/><Execution ProcessID='0' ThreadID='0'/><Channel>Application</Channel><Computer>pc1.contoso.com</Computer><Security/></System><EventData><Data>0xC004F074, 0x0, kms01.contoso.com:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 6:14, 0, 2, 43200, 2ffd8952-423e-4903-b993-72a1aa44cf82, 25</Data></EventData></Event>
<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Service Control Manager'/><EventID>7036</EventID><Channel>System</Channel></System><EventData><Data Name='param1'>sppsvc</Data></EventData></Event>"#;

fn all(xml: &str) -> (Vec<RawEvent>, Option<XmlError>) {
    let mut r = XmlEventReader::new(xml.as_bytes());
    let mut out = Vec::new();
    loop {
        match r.next_event() {
            Ok(Some(e)) => out.push(e),
            Ok(None) => return (out, None),
            Err(e) => return (out, Some(e)),
        }
    }
}

#[test]
fn wevtutil_stream_without_root() {
    let (evs, err) = all(WEVTUTIL);
    assert!(err.is_none());
    assert_eq!(evs.len(), 2);
    let e = evs[0].clone().into_event().unwrap();
    assert_eq!(e.id, 12288);
    assert_eq!(e.record_id, Some(4711));
    assert_eq!(e.time.unwrap().to_string(), "2026-11-24T06:14:58Z");
    assert_eq!(e.computer.as_deref(), Some("pc1.contoso.com"));
    assert!(matches!(e.data, EventData::ClientRequest(_)));
    assert_eq!(evs[1].clone().into_event(), Err(Unused::NotActivation));
}

#[test]
fn saved_with_root_and_entities() {
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<Events>
<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
<Provider Name="Microsoft-Windows-Security-Licensing-SLC" />
<EventID>12290</EventID>
<TimeCreated SystemTime="2026-11-24T06:14:58.000Z" />
<Channel>Key Management Service</Channel>
<Computer>kms01</Computer>
  </System>
  <EventData>
<Data>1</Data><Data>0x0</Data><Data>25</Data><Data>pc&amp;1</Data>
<Data>{5CD1D6D4-3D4B-4A65-9D1B-6F8E2F0C1A11}</Data><Data>2026/11/24 6:14</Data>
<Data>0</Data><Data>1</Data><Data>259200</Data><Data>2ffd8952-423e-4903-b993-72a1aa44cf82</Data>
  </EventData>
  <RenderingInfo Culture="en-US"><Message>An activation request has been processed.</Message></RenderingInfo>
</Event>
</Events>"#;
    let (evs, err) = all(xml);
    assert!(err.is_none(), "{err:?}");
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].items.len(), 10);
    let e = evs[0].clone().into_event().unwrap();
    let EventData::HostRequest(h) = e.data else {
        panic!()
    };
    assert_eq!(h.client.as_deref(), Some("pc&1"));
    assert_eq!(e.channel.as_deref(), Some("Key Management Service"));
}

#[test]
fn malformed_keeps_what_was_read() {
    let xml = format!(
        "{WEVTUTIL}<Event><System><EventID>12288</EventID></System><EventData><Data>0x0,</Daa"
    );
    let (evs, err) = all(&xml);
    assert_eq!(evs.len(), 2);
    assert!(err.is_some());
}

#[test]
fn too_many_items_are_cut() {
    let mut xml = String::from(
        "<Event><System><Provider Name='Security-SPP'/><EventID>1003</EventID></System><EventData>",
    );
    for i in 0..200 {
        xml.push_str(&format!("<Data>0xC004F0{:02X}</Data>", i % 256));
    }
    xml.push_str("</EventData></Event>");
    let (evs, _) = all(&xml);
    assert_eq!(evs[0].items.len(), MAX_ITEMS);
    assert!(evs[0].items_cut);
}

/// The lexer's output for `input` fed in blocks of `block` bytes.
fn lexed(input: &[u8], block: usize) -> (Vec<u8>, Vec<XmlCut>) {
    let mut lx = Lexer::new();
    let mut out = Vec::new();
    for b in input.chunks(block.max(1)) {
        lx.feed(b, &mut out);
    }
    lx.finish(&mut out);
    (out, lx.cuts())
}

#[test]
fn well_formed_xml_passes_unchanged() {
    let tricky = "<?xml version='1.0'?><!DOCTYPE a [<!ENTITY e 'x'>]><a b=\"1>2\" c='\"'>t&amp;u<!-- c -> --><![CDATA[x]>y]]><?p ?>\u{e9}\u{4e2d}<b/><c ></c ></a><!----><!--->-->";
    for input in [WEVTUTIL, tricky] {
        for block in [1, 2, 3, 7, 64, 4096] {
            let (out, cuts) = lexed(input.as_bytes(), block);
            assert_eq!(String::from_utf8(out).unwrap(), input, "block {block}");
            assert!(cuts.is_empty());
        }
    }
}

#[test]
fn cut_tokens_stay_well_formed() {
    let big = "x>".repeat(MAX_TEXT);
    let inputs = [
        format!("<a>{big}</a><b/>"),
        format!("<a><!--{big}--><b/></a>"),
        format!("<a><![CDATA[{big}]]><b/></a>"),
        format!("<a><?p {big}?><b/></a>"),
        format!("<a v='{big}' w='1'><b/></a>"),
        format!("<a {}/><b/>", "k='v' ".repeat(MAX_ATTRIBUTES + 5)),
    ];
    for input in &inputs {
        let (out, cuts) = lexed(input.as_bytes(), 8192);
        assert_eq!(cuts.len(), 1, "{cuts:?}");
        assert!(out.len() < MAX_TAG + MAX_ATTRIBUTE_VALUE + 64);
        // The parser reads it to the end, and sees <b/>.
        let mut r = Reader::from_reader(out.as_slice());
        let mut buf = Vec::new();
        let mut seen_b = false;
        loop {
            match r.read_event_into(&mut buf) {
                Ok(XmlEvent::Eof) => break,
                Ok(XmlEvent::Empty(e)) if e.name().as_ref() == b"b" => seen_b = true,
                Ok(_) => {}
                Err(e) => panic!("{e} in {:?}", String::from_utf8_lossy(&out[..200])),
            }
            buf.clear();
        }
        assert!(seen_b);
    }
    // A character is never split; the text keeps exactly MAX_TEXT bytes or the end of the
    // character at the limit.
    let text = format!("<a>x{}</a>", "\u{4e2d}".repeat(MAX_TEXT));
    let (out, _) = lexed(text.as_bytes(), 1000);
    let s = String::from_utf8(out).unwrap();
    assert!(s.ends_with("\u{4e2d}</a>") && s.len() < MAX_TEXT + 16);
}

proptest::proptest! {
    /// Any short input (below every limit, fewer than MAX_DEPTH levels) is passed through
    /// unchanged, however it is split into blocks (unless it has `<!` markup quick-xml does
    /// not know).
    #[test]
    fn short_input_is_untouched(
        input in proptest::collection::vec(
            proptest::sample::select(b"<>/!?-[]'\"= aE:x&;\n\xc3\xa9".to_vec()), 0..120),
        block in 1usize..40,
    ) {
        let (out, cuts) = lexed(&input, block);
        // Only `<!` markup quick-xml does not know is taken out (it would stop the parser).
        proptest::prop_assert!(cuts.iter().all(|c| c.what == CutWhat::Markup), "{:?}", cuts);
        if cuts.is_empty() {
            proptest::prop_assert_eq!(out, input);
        }
    }
}

#[test]
fn binary_data_is_not_an_insertion_string() {
    // EvtxECmd's XML: every insertion string joined into one <Data>, then an empty <Binary>.
    let xml = r#"<Event><System><Provider Name="Microsoft-Windows-Security-SPP" EventSourceName="Software Protection Platform Service"/><EventID Qualifiers="16384">12288</EventID><Channel>Application</Channel><Computer>pc1</Computer></System><EventData><Data>0xC004F074, 0x0, kms01.contoso.com:1688, 5cd1d6d4-3d4b-4a65-9d1b-6f8e2f0c1a11, 2026/11/24 9:29, 0, 2, 43200, 2ffd8952-423e-4903-b993-72a1aa44cf82, 25</Data><Binary>00FF</Binary></EventData></Event>"#;
    let (evs, err) = all(xml);
    assert!(err.is_none());
    assert_eq!(evs[0].items.len(), 1, "{:?}", evs[0].items);
    let e = evs[0].clone().into_event().unwrap();
    let EventData::ClientRequest(req) = e.data else {
        panic!("{:?}", e.data)
    };
    assert_eq!(req.kms.unwrap().host, "kms01.contoso.com");
}
