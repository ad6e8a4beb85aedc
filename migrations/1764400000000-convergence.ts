import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The national package, version 1, as written (package.ts DEFAULT_PACKAGE; its spec checks they agree). Never edit: put a new version. */
export const PACKAGE_V1 = {
  "BADUTA": [
    {
      "code": "PEMANTAUAN_PERTUMBUHAN",
      "name": "Pemantauan pertumbuhan (penimbangan bulanan)",
      "kind": "spesifik",
      "windowDays": 31,
      "dueDays": 31,
      "evidence": [
        {
          "kind": "measurement"
        }
      ],
      "basis": "Perpres 72/2021 lampiran, spesifik: balita dipantau pertumbuhan dan perkembangannya [S32]; monthly posyandu (domain §4.4)"
    },
    {
      "code": "IMUNISASI_DASAR",
      "name": "Imunisasi dasar lengkap",
      "kind": "spesifik",
      "windowDays": null,
      "dueDays": 365,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "IMUNISASI"
          ]
        },
        {
          "kind": "task",
          "opdCode": "DINKES",
          "actionContains": "imunisasi"
        }
      ],
      "basis": "Perpres 72/2021 lampiran, spesifik: balita dengan imunisasi dasar lengkap [S32]; complete by 12 months [K], unverified"
    },
    {
      "code": "VIT_A",
      "name": "Vitamin A (Februari dan Agustus)",
      "kind": "spesifik",
      "fromAgeMonths": 6,
      "windowDays": 183,
      "dueDays": 183,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "VIT_A"
          ]
        }
      ],
      "basis": "Vitamin A from 6 months, every February and August [S24]"
    },
    {
      "code": "PMT_BB_KURANG",
      "name": "PMT lokal bila berat badan kurang",
      "kind": "spesifik",
      "fromAgeMonths": 6,
      "condition": {
        "field": "waz",
        "below": -2,
        "withinDays": 60
      },
      "windowDays": 90,
      "dueDays": 14,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "PMT_LOKAL_BB_KURANG",
            "PMT_LOKAL_GIZI_KURANG",
            "PMT_LOKAL_2T"
          ]
        },
        {
          "kind": "visit",
          "visitActions": [
            "PMT"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, spesifik: balita gizi kurang mendapat makanan tambahan [S32]; PMT lokal 6-59 months [S34]; WAZ < -2 (Permenkes 2/2020); 60/90/14 days unverified"
    },
    {
      "code": "JKN",
      "name": "Kepesertaan JKN (PBI)",
      "kind": "sensitif",
      "windowDays": null,
      "dueDays": 90,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "JKN_PBI"
          ]
        },
        {
          "kind": "task",
          "opdCode": "DINSOS",
          "actionContains": "JKN"
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: cakupan PBI JKN [S32]; 90 days unverified"
    },
    {
      "code": "AIR_MINUM_LAYAK",
      "name": "Air minum layak",
      "kind": "sensitif",
      "windowDays": null,
      "dueDays": 180,
      "evidence": [
        {
          "kind": "family",
          "attribute": "safe_water"
        },
        {
          "kind": "intervention",
          "catalogueCodes": [
            "AIR_BERSIH"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: rumah tangga dengan air minum layak [S32]; 180 days unverified"
    },
    {
      "code": "JAMBAN_SEHAT",
      "name": "Jamban sehat (sanitasi layak)",
      "kind": "sensitif",
      "windowDays": null,
      "dueDays": 180,
      "evidence": [
        {
          "kind": "family",
          "attribute": "fit_latrine"
        },
        {
          "kind": "intervention",
          "catalogueCodes": [
            "JAMBAN"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: rumah tangga dengan sanitasi layak [S32]; 180 days unverified"
    }
  ],
  "BALITA": [
    {
      "code": "PEMANTAUAN_PERTUMBUHAN",
      "name": "Pemantauan pertumbuhan (penimbangan bulanan)",
      "kind": "spesifik",
      "windowDays": 31,
      "dueDays": 31,
      "evidence": [
        {
          "kind": "measurement"
        }
      ],
      "basis": "Perpres 72/2021 lampiran, spesifik: balita dipantau pertumbuhan dan perkembangannya [S32]; monthly posyandu (domain §4.4)"
    },
    {
      "code": "IMUNISASI_DASAR",
      "name": "Imunisasi dasar lengkap",
      "kind": "spesifik",
      "windowDays": null,
      "dueDays": 365,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "IMUNISASI"
          ]
        },
        {
          "kind": "task",
          "opdCode": "DINKES",
          "actionContains": "imunisasi"
        }
      ],
      "basis": "Perpres 72/2021 lampiran, spesifik: balita dengan imunisasi dasar lengkap [S32]; complete by 12 months [K], unverified"
    },
    {
      "code": "VIT_A",
      "name": "Vitamin A (Februari dan Agustus)",
      "kind": "spesifik",
      "fromAgeMonths": 6,
      "windowDays": 183,
      "dueDays": 183,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "VIT_A"
          ]
        }
      ],
      "basis": "Vitamin A from 6 months, every February and August [S24]"
    },
    {
      "code": "PMT_BB_KURANG",
      "name": "PMT lokal bila berat badan kurang",
      "kind": "spesifik",
      "fromAgeMonths": 6,
      "condition": {
        "field": "waz",
        "below": -2,
        "withinDays": 60
      },
      "windowDays": 90,
      "dueDays": 14,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "PMT_LOKAL_BB_KURANG",
            "PMT_LOKAL_GIZI_KURANG",
            "PMT_LOKAL_2T"
          ]
        },
        {
          "kind": "visit",
          "visitActions": [
            "PMT"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, spesifik: balita gizi kurang mendapat makanan tambahan [S32]; PMT lokal 6-59 months [S34]; WAZ < -2 (Permenkes 2/2020); 60/90/14 days unverified"
    },
    {
      "code": "TATA_LAKSANA_GIZI_BURUK",
      "name": "Tata laksana gizi buruk",
      "kind": "spesifik",
      "condition": {
        "field": "whz",
        "below": -3,
        "withinDays": 60
      },
      "windowDays": 90,
      "dueDays": 7,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "TATA_LAKSANA_GIZI_BURUK"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, spesifik: balita gizi buruk mendapat pelayanan tata laksana [S32]; WHZ < -3 (Permenkes 2/2020); 7 days unverified"
    },
    {
      "code": "JKN",
      "name": "Kepesertaan JKN (PBI)",
      "kind": "sensitif",
      "windowDays": null,
      "dueDays": 90,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "JKN_PBI"
          ]
        },
        {
          "kind": "task",
          "opdCode": "DINSOS",
          "actionContains": "JKN"
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: cakupan PBI JKN [S32]; 90 days unverified"
    },
    {
      "code": "AIR_MINUM_LAYAK",
      "name": "Air minum layak",
      "kind": "sensitif",
      "windowDays": null,
      "dueDays": 180,
      "evidence": [
        {
          "kind": "family",
          "attribute": "safe_water"
        },
        {
          "kind": "intervention",
          "catalogueCodes": [
            "AIR_BERSIH"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: rumah tangga dengan air minum layak [S32]; 180 days unverified"
    },
    {
      "code": "JAMBAN_SEHAT",
      "name": "Jamban sehat (sanitasi layak)",
      "kind": "sensitif",
      "windowDays": null,
      "dueDays": 180,
      "evidence": [
        {
          "kind": "family",
          "attribute": "fit_latrine"
        },
        {
          "kind": "intervention",
          "catalogueCodes": [
            "JAMBAN"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: rumah tangga dengan sanitasi layak [S32]; 180 days unverified"
    }
  ],
  "IBU_HAMIL": [
    {
      "code": "TTD_90",
      "name": "Tablet tambah darah minimal 90 tablet",
      "kind": "spesifik",
      "windowDays": 280,
      "dueDays": 180,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "TTD_BUMIL"
          ],
          "minQuantity": 90
        }
      ],
      "basis": "Perpres 72/2021 lampiran, spesifik: ibu hamil mengonsumsi TTD minimal 90 tablet [S32]; 180 days unverified"
    },
    {
      "code": "ANC",
      "name": "Pemeriksaan kehamilan (ANC) minimal 4 kontak",
      "kind": "spesifik",
      "windowDays": 280,
      "dueDays": 196,
      "evidence": [
        {
          "kind": "task",
          "opdCode": "DINKES",
          "actionContains": "ANC",
          "minCount": 4
        },
        {
          "kind": "measurement",
          "minCount": 4
        }
      ],
      "basis": "ANC: at least 1 contact in trimesters 1 and 2 and 2 in trimester 3 [W37]; Kemenkes now 6 [K]. Evidence and 196 days unverified"
    },
    {
      "code": "PMT_KEK",
      "name": "PMT lokal ibu hamil KEK",
      "kind": "spesifik",
      "condition": {
        "field": "muac",
        "below": 23.5,
        "withinDays": 90
      },
      "windowDays": 120,
      "dueDays": 14,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "PMT_LOKAL_BUMIL_KEK"
          ]
        },
        {
          "kind": "visit",
          "visitActions": [
            "PMT"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, spesifik: ibu hamil KEK mendapat makanan tambahan [S32]; 120 days [S34]; LiLA < 23.5 cm [W36]; 14 days unverified"
    },
    {
      "code": "JKN",
      "name": "Kepesertaan JKN (PBI)",
      "kind": "sensitif",
      "windowDays": null,
      "dueDays": 90,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "JKN_PBI"
          ]
        },
        {
          "kind": "task",
          "opdCode": "DINSOS",
          "actionContains": "JKN"
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: cakupan PBI JKN [S32]; 90 days unverified"
    },
    {
      "code": "AIR_MINUM_LAYAK",
      "name": "Air minum layak",
      "kind": "sensitif",
      "windowDays": null,
      "dueDays": 180,
      "evidence": [
        {
          "kind": "family",
          "attribute": "safe_water"
        },
        {
          "kind": "intervention",
          "catalogueCodes": [
            "AIR_BERSIH"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: rumah tangga dengan air minum layak [S32]; 180 days unverified"
    },
    {
      "code": "JAMBAN_SEHAT",
      "name": "Jamban sehat (sanitasi layak)",
      "kind": "sensitif",
      "windowDays": null,
      "dueDays": 180,
      "evidence": [
        {
          "kind": "family",
          "attribute": "fit_latrine"
        },
        {
          "kind": "intervention",
          "catalogueCodes": [
            "JAMBAN"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: rumah tangga dengan sanitasi layak [S32]; 180 days unverified"
    }
  ],
  "IBU_NIFAS": [
    {
      "code": "KB_PASCAPERSALINAN",
      "name": "KB pascapersalinan",
      "kind": "sensitif",
      "windowDays": null,
      "dueDays": 42,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "KB_PASCAPERSALINAN"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: pelayanan KB pascapersalinan [S32]; within 42 days (KF4) [K]"
    },
    {
      "code": "KONSELING_ASI",
      "name": "Konseling ASI dan MP-ASI",
      "kind": "spesifik",
      "windowDays": 42,
      "dueDays": 28,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "ASI_MPASI_KONSELING"
          ]
        },
        {
          "kind": "visit",
          "visitActions": [
            "KIE"
          ]
        }
      ],
      "basis": "ASI eksklusif indicator [S32]; 28/42 days unverified"
    }
  ],
  "CATIN": [
    {
      "code": "PEMERIKSAAN_CATIN",
      "name": "Pemeriksaan kesehatan catin (Elsimil)",
      "kind": "sensitif",
      "windowDays": 90,
      "dueDays": 30,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "ELSIMIL_SCREENING"
          ]
        },
        {
          "kind": "visit",
          "visitActions": [
            "ELSIMIL"
          ]
        }
      ],
      "basis": "Perpres 72/2021 lampiran, sensitif: catin mendapat pemeriksaan kesehatan 3 bulan pranikah [S32][S33]; 30 days unverified"
    },
    {
      "code": "TTD_CATIN",
      "name": "Tablet tambah darah catin",
      "kind": "spesifik",
      "windowDays": 90,
      "dueDays": 30,
      "evidence": [
        {
          "kind": "intervention",
          "catalogueCodes": [
            "TTD_CATIN"
          ]
        }
      ],
      "basis": "TTD for catin, weekly [S33]; 30 days unverified"
    }
  ]
};

/**
 * Convergence scorecards (issue 18 part 2): the package of essential services per target group
 * as a versioned table per regency, the national defaults as its first row ('*'); indexes for
 * the set-based report (targets of a group by village; completed referral tasks by child).
 */
export class Convergence1764400000000 implements MigrationInterface {
  name = 'Convergence1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE convergence_packages (
        regency_code text NOT NULL CONSTRAINT ck_convergence_packages_regency CHECK (regency_code = '*' OR regency_code ~ '^[0-9]{4}$'),
        version integer NOT NULL CONSTRAINT ck_convergence_packages_version CHECK (version >= 1),
        body jsonb NOT NULL,
        source text,
        created_by uuid CONSTRAINT fk_convergence_packages_created_by REFERENCES users (id),
        created_at timestamptz NOT NULL,
        CONSTRAINT pk_convergence_packages PRIMARY KEY (regency_code, version)
      )`);
    // Perpres 72/2021 annex A indicators (domain brief §5.1) over the catalogue (§5.2); windows and due days unverified, as each item's basis says.
    await q.query(
      `INSERT INTO convergence_packages (regency_code, version, body, source, created_by, created_at) VALUES ('*', 1, $1::jsonb, $2, NULL, now())`,
      [JSON.stringify({ groups: PACKAGE_V1 }), 'Perpres 72/2021 lampiran (intervensi spesifik dan sensitif); windows and due days unverified (docs/convergence.md)'],
    );
    await q.query(`CREATE INDEX ix_subjects_group_village ON subjects (regency_code, target_group, village_code)`);
    await q.query(`CREATE INDEX ix_tasks_subject ON tasks (subject_id) WHERE subject_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ix_tasks_subject`);
    await q.query(`DROP INDEX ix_subjects_group_village`);
    await q.query(`DROP TABLE convergence_packages`);
  }
}
