//! `volact products --gvlk` agrees with Microsoft's published tables, for every edition they list.
//!
//! The facts below are copied by hand from Microsoft's pages (one row per edition as the page
//! names it; where one row of the page names several editions, each is listed):
//! - `ms-gvlk`: "Key Management Services (KMS) client activation and product keys",
//!   MicrosoftDocs/windowsserverdocs `WindowsServerDocs/get-started/kms-client-activation-keys.md`
//!   (ms.date 10/01/2024), <https://learn.microsoft.com/windows-server/get-started/kms-client-activation-keys>.
//!   The Semi-Annual Channel editions are named with the versions of the page's headings
//!   ("Windows Server Standard, version 1803").
//! - `ms-office-gvlk`: "GVLKs for KMS and Active Directory-based activation of Office, Project,
//!   and Visio", MicrosoftDocs/OfficeDocs-DeployOffice `office/volume-license-activation/gvlks.md`
//!   (ms.date 09/18/2024), <https://learn.microsoft.com/office/volume-license-activation/gvlks>.
//!
//! Windows Vista is on Microsoft's page but out of volact's range (Windows 7 and later).

use volact_core::products::{self, Family};

/// `(source, edition, GVLK)` as Microsoft's pages give them.
const MICROSOFT: &[(&str, &str, &str)] = &[
    // kms-client-activation-keys.md: Windows Server 2025
    (
        "ms-gvlk",
        "Windows Server 2025 Standard",
        "TVRH6-WHNXV-R9WG3-9XRFY-MY832",
    ),
    (
        "ms-gvlk",
        "Windows Server 2025 Datacenter",
        "D764K-2NDRG-47T6Q-P8T8W-YP6DF",
    ),
    (
        "ms-gvlk",
        "Windows Server 2025 Datacenter: Azure Edition",
        "XGN3F-F394H-FD2MY-PP6FD-8MCRC",
    ),
    // kms-client-activation-keys.md: Windows Server 2022
    (
        "ms-gvlk",
        "Windows Server 2022 Standard",
        "VDYBN-27WPP-V4HQT-9VMD4-VMK7H",
    ),
    (
        "ms-gvlk",
        "Windows Server 2022 Datacenter",
        "WX4NM-KYWYW-QJJR4-XV3QB-6VM33",
    ),
    (
        "ms-gvlk",
        "Windows Server 2022 Datacenter: Azure Edition",
        "NTBV8-9K7Q8-V27C6-M2BTV-KHMXV",
    ),
    // kms-client-activation-keys.md: Windows Server 2019
    (
        "ms-gvlk",
        "Windows Server 2019 Standard",
        "N69G4-B89J2-4G8F4-WWYCC-J464C",
    ),
    (
        "ms-gvlk",
        "Windows Server 2019 Datacenter",
        "WMDGN-G9PQG-XVVXX-R3X43-63DFG",
    ),
    (
        "ms-gvlk",
        "Windows Server 2019 Essentials",
        "WVDHN-86M7X-466P6-VHXV7-YY726",
    ),
    // kms-client-activation-keys.md: Windows Server 2016
    (
        "ms-gvlk",
        "Windows Server 2016 Standard",
        "WC2BQ-8NRM3-FDDYY-2BFGV-KHKQY",
    ),
    (
        "ms-gvlk",
        "Windows Server 2016 Datacenter",
        "CB7KF-BWN84-R7R2Y-793K2-8XDDG",
    ),
    (
        "ms-gvlk",
        "Windows Server 2016 Essentials",
        "JCKRF-N37P4-C2D82-9YXRT-4M63B",
    ),
    // kms-client-activation-keys.md: Windows Server, Semi-Annual Channel
    (
        "ms-gvlk",
        "Windows Server Standard, versions 1809 to 20H2",
        "N2KJX-J94YW-TQVFB-DG9YT-724CC",
    ),
    (
        "ms-gvlk",
        "Windows Server Datacenter, versions 1809 to 20H2",
        "6NMRW-2C8FM-D24W7-TQWMY-CWH2D",
    ),
    (
        "ms-gvlk",
        "Windows Server Standard, version 1803",
        "PTXN8-JFHJM-4WC78-MPCBR-9W4KR",
    ),
    (
        "ms-gvlk",
        "Windows Server Datacenter, version 1803",
        "2HXDN-KRXHB-GPYC7-YCKFJ-7FVDG",
    ),
    (
        "ms-gvlk",
        "Windows Server Standard, version 1709",
        "DPCNP-XQFKJ-BJF7R-FRC8D-GF6G4",
    ),
    (
        "ms-gvlk",
        "Windows Server Datacenter, version 1709",
        "6Y6KB-N82V8-D8CQV-23MJW-BWTG6",
    ),
    // kms-client-activation-keys.md: Windows 11 and Windows 10
    ("ms-gvlk", "Windows 11 Pro", "W269N-WFGWX-YVC9B-4J6C9-T83GX"),
    ("ms-gvlk", "Windows 10 Pro", "W269N-WFGWX-YVC9B-4J6C9-T83GX"),
    (
        "ms-gvlk",
        "Windows 11 Pro N",
        "MH37W-N47XK-V7XM9-C7227-GCQG9",
    ),
    (
        "ms-gvlk",
        "Windows 10 Pro N",
        "MH37W-N47XK-V7XM9-C7227-GCQG9",
    ),
    (
        "ms-gvlk",
        "Windows 11 Pro for Workstations",
        "NRG8B-VKK3Q-CXVCJ-9G2XF-6Q84J",
    ),
    (
        "ms-gvlk",
        "Windows 10 Pro for Workstations",
        "NRG8B-VKK3Q-CXVCJ-9G2XF-6Q84J",
    ),
    (
        "ms-gvlk",
        "Windows 11 Pro for Workstations N",
        "9FNHH-K3HBT-3W4TD-6383H-6XYWF",
    ),
    (
        "ms-gvlk",
        "Windows 10 Pro for Workstations N",
        "9FNHH-K3HBT-3W4TD-6383H-6XYWF",
    ),
    (
        "ms-gvlk",
        "Windows 11 Pro Education",
        "6TP4R-GNPTD-KYYHQ-7B7DP-J447Y",
    ),
    (
        "ms-gvlk",
        "Windows 10 Pro Education",
        "6TP4R-GNPTD-KYYHQ-7B7DP-J447Y",
    ),
    (
        "ms-gvlk",
        "Windows 11 Pro Education N",
        "YVWGF-BXNMC-HTQYQ-CPQ99-66QFC",
    ),
    (
        "ms-gvlk",
        "Windows 10 Pro Education N",
        "YVWGF-BXNMC-HTQYQ-CPQ99-66QFC",
    ),
    (
        "ms-gvlk",
        "Windows 11 Education",
        "NW6C2-QMPVW-D7KKK-3GKT6-VCFB2",
    ),
    (
        "ms-gvlk",
        "Windows 10 Education",
        "NW6C2-QMPVW-D7KKK-3GKT6-VCFB2",
    ),
    (
        "ms-gvlk",
        "Windows 11 Education N",
        "2WH4N-8QGBV-H22JP-CT43Q-MDWWJ",
    ),
    (
        "ms-gvlk",
        "Windows 10 Education N",
        "2WH4N-8QGBV-H22JP-CT43Q-MDWWJ",
    ),
    (
        "ms-gvlk",
        "Windows 11 Enterprise",
        "NPPR9-FWDCX-D2C8J-H872K-2YT43",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise",
        "NPPR9-FWDCX-D2C8J-H872K-2YT43",
    ),
    (
        "ms-gvlk",
        "Windows 11 Enterprise N",
        "DPH2V-TTNVB-4X9Q3-TJR4H-KHJW4",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise N",
        "DPH2V-TTNVB-4X9Q3-TJR4H-KHJW4",
    ),
    (
        "ms-gvlk",
        "Windows 11 Enterprise G",
        "YYVX9-NTFWV-6MDM3-9PT4T-4M68B",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise G",
        "YYVX9-NTFWV-6MDM3-9PT4T-4M68B",
    ),
    (
        "ms-gvlk",
        "Windows 11 Enterprise G N",
        "44RPN-FTY23-9VTTB-MP9BX-T84FV",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise G N",
        "44RPN-FTY23-9VTTB-MP9BX-T84FV",
    ),
    // kms-client-activation-keys.md: Windows Enterprise LTSC
    (
        "ms-gvlk",
        "Windows 11 Enterprise LTSC 2024",
        "M7XTQ-FN8P6-TTKYV-9D4CC-J462D",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise LTSC 2021",
        "M7XTQ-FN8P6-TTKYV-9D4CC-J462D",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise LTSC 2019",
        "M7XTQ-FN8P6-TTKYV-9D4CC-J462D",
    ),
    (
        "ms-gvlk",
        "Windows 11 Enterprise N LTSC 2024",
        "92NFX-8DJQP-P6BBQ-THF9C-7CG2H",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise N LTSC 2021",
        "92NFX-8DJQP-P6BBQ-THF9C-7CG2H",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise N LTSC 2019",
        "92NFX-8DJQP-P6BBQ-THF9C-7CG2H",
    ),
    (
        "ms-gvlk",
        "Windows IoT Enterprise LTSC 2024",
        "KBN8V-HFGQ4-MGXVD-347P6-PDQGT",
    ),
    (
        "ms-gvlk",
        "Windows IoT Enterprise LTSC 2021",
        "KBN8V-HFGQ4-MGXVD-347P6-PDQGT",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise LTSB 2016",
        "DCPHK-NFMTC-H88MJ-PFHPY-QJ4BJ",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise N LTSB 2016",
        "QFFDN-GRT3P-VKWWX-X7T3R-8B639",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise LTSB 2015",
        "WNMTR-4C88C-JK8YV-HQ7T2-76DF9",
    ),
    (
        "ms-gvlk",
        "Windows 10 Enterprise N LTSB 2015",
        "2F77B-TNFGY-69QQF-B8YKP-D69TJ",
    ),
    // kms-client-activation-keys.md: Windows Server 2012 R2
    (
        "ms-gvlk",
        "Windows Server 2012 R2 Standard",
        "D2N9P-3P6X9-2R39C-7RTCD-MDVJX",
    ),
    (
        "ms-gvlk",
        "Windows Server 2012 R2 Datacenter",
        "W3GGN-FT8W3-Y4M27-J84CP-Q3VJ9",
    ),
    (
        "ms-gvlk",
        "Windows Server 2012 R2 Essentials",
        "KNC87-3J2TX-XB4WP-VCPJV-M4FWM",
    ),
    // kms-client-activation-keys.md: Windows Server 2012
    (
        "ms-gvlk",
        "Windows Server 2012 Standard",
        "XC9B7-NBPP2-83J2H-RHMBY-92BT4",
    ),
    (
        "ms-gvlk",
        "Windows Server 2012 MultiPoint Standard",
        "HM7DN-YVMH3-46JC3-XYTG7-CYQJJ",
    ),
    (
        "ms-gvlk",
        "Windows Server 2012 MultiPoint Premium",
        "XNH6W-2V9GX-RGJ4K-Y8X6F-QGJ2G",
    ),
    (
        "ms-gvlk",
        "Windows Server 2012 Datacenter",
        "48HP8-DN98B-MYWDG-T2DCC-8W83P",
    ),
    (
        "ms-gvlk",
        "Windows Server 2012 Essentials",
        "HTDQM-NBMMG-KGYDT-2DTKT-J2MPV",
    ),
    // kms-client-activation-keys.md: Windows Server 2008 R2
    (
        "ms-gvlk",
        "Windows Server 2008 R2 Web",
        "6TPJF-RBVHG-WBW2R-86QPH-6RTM4",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 R2 HPC edition",
        "TT8MH-CG224-D3D7Q-498W2-9QCTX",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 R2 Standard",
        "YC6KT-GKW9T-YTKYR-T4X34-R7VHC",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 R2 Enterprise",
        "489J6-VHDMP-X63PK-3K798-CPX3Y",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 R2 Datacenter",
        "74YFP-3QFB3-KQT8W-PMXWJ-7M648",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 R2 for Itanium-based Systems",
        "GT63C-RJFQ3-4GMB6-BRFB9-CB83V",
    ),
    // kms-client-activation-keys.md: Windows Server 2008
    (
        "ms-gvlk",
        "Windows Web Server 2008",
        "WYR28-R7TFJ-3X2YQ-YCY4H-M249D",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 Standard",
        "TM24T-X9RMF-VWXK6-X8JC9-BFGM2",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 Standard without Hyper-V",
        "W7VD6-7JFBR-RX26B-YKQ3Y-6FFFJ",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 Enterprise",
        "YQGMW-MPWTJ-34KDK-48M3W-X4Q6V",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 Enterprise without Hyper-V",
        "39BXF-X8Q23-P2WWT-38T2F-G3FPG",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 HPC",
        "RCTX3-KWVHP-BR6TB-RB6DM-6X7HP",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 Datacenter",
        "7M67G-PC374-GR742-YH8V4-TCBY3",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 Datacenter without Hyper-V",
        "22XQ2-VRXRG-P8D42-K34TD-G3QQC",
    ),
    (
        "ms-gvlk",
        "Windows Server 2008 for Itanium-Based Systems",
        "4DWFP-JF3DJ-B7DTH-78FJB-PDRHK",
    ),
    // kms-client-activation-keys.md: Windows 8.1
    (
        "ms-gvlk",
        "Windows 8.1 Pro",
        "GCRJD-8NW9H-F2CDX-CCM8D-9D6T9",
    ),
    (
        "ms-gvlk",
        "Windows 8.1 Pro N",
        "HMCNV-VVBFX-7HMBH-CTY9B-B4FXY",
    ),
    (
        "ms-gvlk",
        "Windows 8.1 Enterprise",
        "MHF9N-XY6XB-WVXMC-BTDCT-MKKG7",
    ),
    (
        "ms-gvlk",
        "Windows 8.1 Enterprise N",
        "TT4HM-HN7YT-62K67-RGRQJ-JFFXW",
    ),
    // kms-client-activation-keys.md: Windows 8
    ("ms-gvlk", "Windows 8 Pro", "NG4HW-VH26C-733KW-K6F98-J8CK4"),
    (
        "ms-gvlk",
        "Windows 8 Pro N",
        "XCVCF-2NXM9-723PB-MHCB7-2RYQQ",
    ),
    (
        "ms-gvlk",
        "Windows 8 Enterprise",
        "32JNW-9KQ84-P47T8-D8GGY-CWCK7",
    ),
    (
        "ms-gvlk",
        "Windows 8 Enterprise N",
        "JMNMF-RHW7P-DMY6X-RF3DR-X2BQT",
    ),
    // kms-client-activation-keys.md: Windows 7
    (
        "ms-gvlk",
        "Windows 7 Professional",
        "FJ82H-XT6CR-J8D7P-XQJJ2-GPDD4",
    ),
    (
        "ms-gvlk",
        "Windows 7 Professional N",
        "MRPKT-YTG23-K7D7T-X2JMM-QY7MG",
    ),
    (
        "ms-gvlk",
        "Windows 7 Professional E",
        "W82YF-2Q76Y-63HXB-FGJG9-GF7QX",
    ),
    (
        "ms-gvlk",
        "Windows 7 Enterprise",
        "33PXH-7Y6KF-2VJC9-XBBR8-HVTHH",
    ),
    (
        "ms-gvlk",
        "Windows 7 Enterprise N",
        "YDRBP-3D83W-TY26F-D46B2-XCKRJ",
    ),
    (
        "ms-gvlk",
        "Windows 7 Enterprise E",
        "C29WB-22CC8-VJ326-GHFJW-H9DH4",
    ),
    // gvlks.md: Office LTSC 2024
    (
        "ms-office-gvlk",
        "Office LTSC Professional Plus 2024",
        "XJ2XN-FW8RK-P4HMP-DKDBV-GCVGB",
    ),
    (
        "ms-office-gvlk",
        "Office LTSC Standard 2024",
        "V28N4-JG22K-W66P8-VTMGK-H6HGR",
    ),
    (
        "ms-office-gvlk",
        "Project Professional 2024",
        "FQQ23-N4YCY-73HQ3-FM9WC-76HF4",
    ),
    (
        "ms-office-gvlk",
        "Project Standard 2024",
        "PD3TT-NTHQQ-VC7CY-MFXK3-G87F8",
    ),
    (
        "ms-office-gvlk",
        "Visio LTSC Professional 2024",
        "B7TN8-FJ8V3-7QYCP-HQPMV-YY89G",
    ),
    (
        "ms-office-gvlk",
        "Visio LTSC Standard 2024",
        "JMMVY-XFNQC-KK4HK-9H7R3-WQQTV",
    ),
    (
        "ms-office-gvlk",
        "Access LTSC 2024",
        "82FTR-NCHR7-W3944-MGRHM-JMCWD",
    ),
    (
        "ms-office-gvlk",
        "Excel LTSC 2024",
        "F4DYN-89BP2-WQTWJ-GR8YC-CKGJG",
    ),
    (
        "ms-office-gvlk",
        "Outlook LTSC 2024",
        "D2F8D-N3Q3B-J28PV-X27HD-RJWB9",
    ),
    (
        "ms-office-gvlk",
        "PowerPoint LTSC 2024",
        "CW94N-K6GJH-9CTXY-MG2VC-FYCWP",
    ),
    (
        "ms-office-gvlk",
        "Skype for Business LTSC 2024",
        "4NKHF-9HBQF-Q3B6C-7YV34-F64P3",
    ),
    (
        "ms-office-gvlk",
        "Word LTSC 2024",
        "MQ84N-7VYDM-FXV7C-6K7CC-VFW9J",
    ),
    // gvlks.md: Office LTSC 2021
    (
        "ms-office-gvlk",
        "Office LTSC Professional Plus 2021",
        "FXYTK-NJJ8C-GB6DW-3DYQT-6F7TH",
    ),
    (
        "ms-office-gvlk",
        "Office LTSC Standard 2021",
        "KDX7X-BNVR8-TXXGX-4Q7Y8-78VT3",
    ),
    (
        "ms-office-gvlk",
        "Project Professional 2021",
        "FTNWT-C6WBT-8HMGF-K9PRX-QV9H8",
    ),
    (
        "ms-office-gvlk",
        "Project Standard 2021",
        "J2JDC-NJCYY-9RGQ4-YXWMH-T3D4T",
    ),
    (
        "ms-office-gvlk",
        "Visio LTSC Professional 2021",
        "KNH8D-FGHT4-T8RK3-CTDYJ-K2HT4",
    ),
    (
        "ms-office-gvlk",
        "Visio LTSC Standard 2021",
        "MJVNY-BYWPY-CWV6J-2RKRT-4M8QG",
    ),
    (
        "ms-office-gvlk",
        "Access LTSC 2021",
        "WM8YG-YNGDD-4JHDC-PG3F4-FC4T4",
    ),
    (
        "ms-office-gvlk",
        "Excel LTSC 2021",
        "NWG3X-87C9K-TC7YY-BC2G7-G6RVC",
    ),
    (
        "ms-office-gvlk",
        "Outlook LTSC 2021",
        "C9FM6-3N72F-HFJXB-TM3V9-T86R9",
    ),
    (
        "ms-office-gvlk",
        "PowerPoint LTSC 2021",
        "TY7XF-NFRBR-KJ44C-G83KF-GX27K",
    ),
    (
        "ms-office-gvlk",
        "Publisher LTSC 2021",
        "2MW9D-N4BXM-9VBPG-Q7W6M-KFBGQ",
    ),
    (
        "ms-office-gvlk",
        "Skype for Business LTSC 2021",
        "HWCXN-K3WBT-WJBKY-R8BD9-XK29P",
    ),
    (
        "ms-office-gvlk",
        "Word LTSC 2021",
        "TN8H9-M34D3-Y64V9-TR72V-X79KV",
    ),
    // gvlks.md: Office 2019
    (
        "ms-office-gvlk",
        "Office Professional Plus 2019",
        "NMMKJ-6RK4F-KMJVX-8D9MJ-6MWKP",
    ),
    (
        "ms-office-gvlk",
        "Office Standard 2019",
        "6NWWJ-YQWMR-QKGCB-6TMB3-9D9HK",
    ),
    (
        "ms-office-gvlk",
        "Project Professional 2019",
        "B4NPR-3FKK7-T2MBV-FRQ4W-PKD2B",
    ),
    (
        "ms-office-gvlk",
        "Project Standard 2019",
        "C4F7P-NCP8C-6CQPT-MQHV9-JXD2M",
    ),
    (
        "ms-office-gvlk",
        "Visio Professional 2019",
        "9BGNQ-K37YR-RQHF2-38RQ3-7VCBB",
    ),
    (
        "ms-office-gvlk",
        "Visio Standard 2019",
        "7TQNQ-K3YQQ-3PFH7-CCPPM-X4VQ2",
    ),
    (
        "ms-office-gvlk",
        "Access 2019",
        "9N9PT-27V4Y-VJ2PD-YXFMF-YTFQT",
    ),
    (
        "ms-office-gvlk",
        "Excel 2019",
        "TMJWT-YYNMB-3BKTF-644FC-RVXBD",
    ),
    (
        "ms-office-gvlk",
        "Outlook 2019",
        "7HD7K-N4PVK-BHBCQ-YWQRW-XW4VK",
    ),
    (
        "ms-office-gvlk",
        "PowerPoint 2019",
        "RRNCX-C64HY-W2MM7-MCH9G-TJHMQ",
    ),
    (
        "ms-office-gvlk",
        "Publisher 2019",
        "G2KWX-3NW6P-PY93R-JXK2T-C9Y9V",
    ),
    (
        "ms-office-gvlk",
        "Skype for Business 2019",
        "NCJ33-JHBBY-HTK98-MYCV8-HMKHJ",
    ),
    (
        "ms-office-gvlk",
        "Word 2019",
        "PBX3G-NWMT6-Q7XBW-PYJGG-WXD33",
    ),
    // gvlks.md: Office 2016
    (
        "ms-office-gvlk",
        "Office Professional Plus 2016",
        "XQNVK-8JYDB-WJ9W3-YJ8YR-WFG99",
    ),
    (
        "ms-office-gvlk",
        "Office Standard 2016",
        "JNRGM-WHDWX-FJJG3-K47QV-DRTFM",
    ),
    (
        "ms-office-gvlk",
        "Project Professional 2016",
        "YG9NW-3K39V-2T3HJ-93F3Q-G83KT",
    ),
    (
        "ms-office-gvlk",
        "Project Standard 2016",
        "GNFHQ-F6YQM-KQDGJ-327XX-KQBVC",
    ),
    (
        "ms-office-gvlk",
        "Visio Professional 2016",
        "PD3PC-RHNGV-FXJ29-8JK7D-RJRJK",
    ),
    (
        "ms-office-gvlk",
        "Visio Standard 2016",
        "7WHWN-4T7MP-G96JF-G33KR-W8GF4",
    ),
    (
        "ms-office-gvlk",
        "Access 2016",
        "GNH9Y-D2J4T-FJHGG-QRVH7-QPFDW",
    ),
    (
        "ms-office-gvlk",
        "Excel 2016",
        "9C2PK-NWTVB-JMPW8-BFT28-7FTBF",
    ),
    (
        "ms-office-gvlk",
        "OneNote 2016",
        "DR92N-9HTF2-97XKM-XW2WJ-XW3J6",
    ),
    (
        "ms-office-gvlk",
        "Outlook 2016",
        "R69KK-NTPKF-7M3Q4-QYBHW-6MT9B",
    ),
    (
        "ms-office-gvlk",
        "PowerPoint 2016",
        "J7MQP-HNJ4Y-WJ7YM-PFYGF-BY6C6",
    ),
    (
        "ms-office-gvlk",
        "Publisher 2016",
        "F47MM-N3XJP-TQXJ9-BP99D-8K837",
    ),
    (
        "ms-office-gvlk",
        "Skype for Business 2016",
        "869NQ-FJ69K-466HW-QYCP2-DDBV6",
    ),
    (
        "ms-office-gvlk",
        "Word 2016",
        "WXY84-JN2Q9-RBCCQ-3Q3J3-3PFJ6",
    ),
];

/// Every edition Microsoft lists has a row with its key, and that row cites Microsoft's page.
#[test]
fn every_microsoft_edition_has_its_key() {
    for (src, edition, key) in MICROSOFT {
        let rows: Vec<_> = products::all()
            .iter()
            .filter(|p| p.name.split(" / ").any(|n| n == *edition))
            .collect();
        assert_eq!(rows.len(), 1, "{edition}: expected one row");
        assert_eq!(rows[0].gvlk, *key, "{edition}");
        assert_eq!(rows[0].gvlk_source.tag, *src, "{edition}");
        assert!(!rows[0].gvlk_source.third_party);
    }
}

/// Every row that cites Microsoft's pages for its key agrees with them, name by name: nothing
/// is added to or changed in what Microsoft publishes.
#[test]
fn every_microsoft_sourced_row_is_in_microsofts_table() {
    let mut n = 0;
    for p in products::all()
        .iter()
        .filter(|p| !p.gvlk_source.third_party)
    {
        for edition in p.name.split(" / ") {
            let fact = MICROSOFT.iter().find(|(_, e, _)| *e == edition);
            let (src, _, key) =
                fact.unwrap_or_else(|| panic!("{edition} is not in Microsoft's table"));
            assert_eq!(p.gvlk, *key, "{edition}");
            assert_eq!(p.gvlk_source.tag, *src, "{edition}");
            n += 1;
        }
    }
    assert_eq!(n, MICROSOFT.len());
}

/// The keys only third-party data gives (Office 2010 and 2013) are not presented as Microsoft's.
#[test]
fn third_party_keys_are_marked() {
    for p in products::all().iter().filter(|p| p.gvlk_source.third_party) {
        assert_eq!(p.family, Family::Office, "{}", p.name);
        assert!(
            p.release == "Office 2010" || p.release == "Office 2013",
            "{}",
            p.release
        );
        assert!(MICROSOFT.iter().all(|(_, _, k)| k != &p.gvlk));
    }
}

/// The host-key groups and required updates of Microsoft's planning page
/// (`WindowsServerDocs/get-started/kms-activation-planning.md`, ms.date 11/12/2024).
#[test]
fn host_updates_match_the_planning_table() {
    const UPDATES: &[(&str, &str, &str)] = &[
        ("ws2025", "Windows Server 2022", "KB5034765"),
        ("ws2025", "Windows Server 2019", "KB5034768"),
        ("ws2022", "Windows Server 2019", "KB5003646"),
        ("ws2022", "Windows Server 2016", "KB5003638"),
        ("ws2019", "Windows Server 2016", "KB4478877"),
        ("ws2019", "Windows Server 2012 R2", "KB4467695"),
        ("ws2016", "Windows Server 2012 R2", "KB3172614"),
        ("ws2016", "Windows Server 2012", "KB3172615"),
        ("win10", "Windows 8.1", "KB3172614"),
        ("win10", "Windows 7", "KB3079821"),
    ];
    for (group, os, kb) in UPDATES {
        let g = products::groups().iter().find(|g| g.id == *group).unwrap();
        let h = g.hosts.iter().find(|h| h.os == *os).unwrap();
        assert_eq!(h.update, Some(*kb), "{group} on {os}");
    }
    // The Windows 10 host key lists "Pro for Workstations", not its N variant.
    let ws_n = products::by_gvlk("9FNHH-K3HBT-3W4TD-6383H-6XYWF").unwrap();
    assert!(ws_n.groups.iter().all(|g| g.id != "win10"));
    let ws = products::by_gvlk("NRG8B-VKK3Q-CXVCJ-9G2XF-6Q84J").unwrap();
    assert!(ws.groups.iter().any(|g| g.id == "win10"));
    // Windows Server 2025 editions: only the Windows Server 2025 host key.
    for p in products::search("Windows Server 2025") {
        let ids: Vec<&str> = p.groups.iter().map(|g| g.id).collect();
        assert_eq!(ids, ["ws2025"], "{}", p.name);
    }
}

/// The Activation IDs the third-party database gives agree with it, row by row (read from
/// `../shared/data/real`, which CI must have).
#[test]
fn activation_ids_agree_with_the_third_party_database() {
    let Some(text) = shared("real/py-kms-KmsDataBase-activation-ids.tsv") else {
        return;
    };
    let mut checked = 0;
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 8 {
            continue;
        }
        if let Some(p) = products::by_activation_id(f[5]) {
            assert!(p.id_third_party());
            // The GVLK agrees, except where Microsoft's differs (REAL-EVIDENCE.md §5.2).
            if p.gvlk != f[7] {
                assert_eq!(p.name, "Windows Server 2025 Datacenter: Azure Edition");
            }
            checked += 1;
        }
    }
    let with_id = products::all()
        .iter()
        .filter(|p| p.activation_id.is_some())
        .count();
    assert_eq!(checked, with_id);
}

/// A file of `../shared/data` (or `$VOLACT_SHARED_DATA`): `None` with a printed reason when it is
/// missing, a failure when `CI` is set.
fn shared(rel: &str) -> Option<String> {
    let base = std::env::var_os("VOLACT_SHARED_DATA").map_or_else(
        || {
            std::path::PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/data/"
            ))
        },
        std::path::PathBuf::from,
    );
    let p = base.join(rel);
    match std::fs::read_to_string(&p) {
        Ok(t) => Some(t),
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("CI is set but {} cannot be read: {e}", p.display())
        }
        Err(e) => {
            eprintln!("skipping: {} cannot be read ({e})", p.display());
            None
        }
    }
}
