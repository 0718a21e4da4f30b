use super::*;

#[test]
fn indexes_are_sorted_and_resolve() {
    assert!(BY_ID.windows(2).all(|w| w[0].0 < w[1].0));
    assert!(BY_TAIL.windows(2).all(|w| w[0] <= w[1]));
    for p in all() {
        if let Some(id) = p.activation_id {
            assert!(std::ptr::eq(by_activation_id(id).unwrap(), p), "{}", p.name);
        }
        assert!(
            by_gvlk_tail(p.gvlk_tail())
                .iter()
                .any(|q| std::ptr::eq(*q, p))
        );
        assert!(std::ptr::eq(by_gvlk(p.gvlk).unwrap(), p));
    }
}

#[test]
fn lookup_by_activation_id_any_form() {
    for q in [
        "2d5a5a60-3040-48bf-beb0-fcd770c20ce0",
        "2D5A5A60-3040-48BF-BEB0-FCD770C20CE0",
        "{2d5a5a60-3040-48bf-beb0-fcd770c20ce0}",
        "  2d5a5a60-3040-48bf-beb0-fcd770c20ce0 ",
    ] {
        assert_eq!(
            by_activation_id(q).unwrap().name,
            "Windows 10 Enterprise LTSB 2016"
        );
    }
    assert!(by_activation_id("2d5a5a60-3040-48bf-beb0-fcd770c20ce1").is_none());
    assert!(by_activation_id("2d5a5a60").is_none());
    assert!(by_activation_id("").is_none());
}

#[test]
fn count_policy_follows_the_family() {
    let pro = by_gvlk("W269N-WFGWX-YVC9B-4J6C9-T83GX").unwrap();
    assert_eq!((pro.family, pro.kms_count()), (Family::Windows, 25));
    let dc = by_gvlk("D764K-2NDRG-47T6Q-P8T8W-YP6DF").unwrap();
    assert_eq!((dc.family, dc.kms_count()), (Family::Server, 5));
    let office = by_gvlk("XJ2XN-FW8RK-P4HMP-DKDBV-GCVGB").unwrap();
    assert_eq!((office.family, office.kms_count()), (Family::Office, 5));
    assert!(all().iter().all(|p| p.channel() == "kms-client"));
}

#[test]
fn search_by_words_id_and_key() {
    let ltsc = search("LTSC 2019");
    assert!(
        ltsc.iter()
            .any(|p| p.activation_id == Some("32d2fab3-e4a8-42c2-923b-4bf4fd13e6ee"))
    );
    assert!(ltsc.iter().all(|p| p.name.contains("LTSC 2019")));
    assert_eq!(search("ltsc 2019"), ltsc);
    assert_eq!(search("2d5a5a60-3040-48bf-beb0-fcd770c20ce0").len(), 1);
    assert_eq!(search("wfg99")[0].name, "Office Professional Plus 2016");
    assert_eq!(
        search("xqnvk-8jydb-wj9w3-yj8yr-wfg99")[0].name,
        "Office Professional Plus 2016"
    );
    assert!(search("00000000-0000-0000-0000-000000000000").is_empty());
    assert!(search("no such product").is_empty());
    assert!(search("").is_empty());
    assert!(search("  --  ").is_empty());
    let visio = search("visio 2024");
    assert_eq!(visio.len(), 2);
    let server = search("Windows Server 2025");
    assert_eq!(server.len(), 3);
}

#[test]
fn families_and_releases_cover_the_range() {
    for release in [
        "Windows 7",
        "Windows 8.1",
        "Windows 11 / Windows 10",
        "Windows Enterprise LTSC",
        "Windows Server 2008 R2",
        "Windows Server 2025",
        "Office 2010",
        "Office 2013",
        "Office LTSC 2024",
    ] {
        assert!(all().iter().any(|p| p.release == release), "{release}");
    }
    assert!(search("IoT Enterprise LTSC 2024").len() == 1);
    assert!(search("Azure Edition").len() == 2);
    assert!(search("Project Professional").len() >= 6);
    assert_eq!(
        list(Some(Family::Office)).len(),
        all().iter().filter(|p| p.family == Family::Office).count()
    );
    assert_eq!("SERVER".parse::<Family>(), Ok(Family::Server));
    assert!("linux".parse::<Family>().is_err());
}

#[test]
fn third_party_ids_are_marked() {
    let p = by_activation_id("2d5a5a60-3040-48bf-beb0-fcd770c20ce0").unwrap();
    assert!(p.id_third_party());
    let g = group_by_activation_id("F3D89BBF-C0EC-47CE-A8FA-E5A5F97E447F").unwrap();
    assert_eq!(g.id, "office2024");
    assert!(!g.id_source.unwrap().third_party);
    let sac = search("version 1709");
    assert_eq!(sac.len(), 2);
    assert!(
        sac.iter()
            .all(|p| p.activation_id.is_none() && p.note.is_some())
    );
}

#[test]
fn host_updates_come_with_the_group() {
    let dc = by_gvlk("D764K-2NDRG-47T6Q-P8T8W-YP6DF").unwrap();
    let ids: Vec<&str> = dc.groups.iter().map(|g| g.id).collect();
    assert_eq!(ids, ["ws2025"]);
    let on_2019 = dc.groups[0]
        .hosts
        .iter()
        .find(|h| h.os == "Windows Server 2019")
        .unwrap();
    assert_eq!(on_2019.update, Some("KB5034768"));
    let w7 = by_gvlk("33PXH-7Y6KF-2VJC9-XBBR8-HVTHH").unwrap();
    let win10 = w7.groups.iter().find(|g| g.id == "win10").unwrap();
    assert!(
        win10
            .hosts
            .iter()
            .any(|h| h.os == "Windows 7" && h.update == Some("KB3079821"))
    );
}

#[test]
fn key_codes_are_explained_and_sorted() {
    assert!(KEY_CODES.windows(2).all(|w| w[0] < w[1]));
    for &c in KEY_CODES {
        assert!(crate::kb::lookup(ErrorCode(c)).is_some(), "{c:#X}");
    }
    assert!(concerns_products(ErrorCode(0xC004F069)));
    assert!(!concerns_products(ErrorCode(0xC004F074)));
    assert!(pointer(Lang::En).contains("volact products"));
    assert!(pointer(Lang::ZhTw).contains("volact products"));
}

#[test]
fn a_host_key_activation_id_lists_what_it_activates() {
    let office = search("{F3D89BBF-C0EC-47CE-A8FA-E5A5F97E447F}");
    assert_eq!(office.len(), 12);
    assert!(office.iter().all(|p| p.release == "Office LTSC 2024"));
    let ws2025 = search("84e331f6-4279-48c4-ab10-b75139181351");
    assert!(ws2025.iter().any(|p| p.name == "Windows 7 Professional"));
    assert!(ws2025.iter().all(|p| p.family != Family::Office));
    assert_eq!(
        find("84e331f6-4279-48c4-ab10-b75139181351", Some(Family::Server)).len(),
        ws2025.iter().filter(|p| p.family == Family::Server).count()
    );
}
