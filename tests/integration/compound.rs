//! Compound keys (built from several fields with a separator) round-trip even when the
//! values contain the separator or the escape character; unicode keys and values.

use cassmodel::Error;
use cassmodel::prelude::*;
use cassmodel_tests::db_with;

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "places")]
struct Place {
    #[cassmodel(partition_key, compound_key(fields = [city, zip], separator = "|"))]
    id: String,
    city: String,
    zip: String,
    note: String,
}

fn place(city: &str, zip: &str) -> Place {
    let mut p = Place {
        id: String::new(),
        city: city.to_owned(),
        zip: zip.to_owned(),
        note: format!("{city} / {zip}"),
    };
    p.id = p.compute_id();
    p
}

#[tokio::test]
async fn separators_inside_values_round_trip() -> Result<(), Error> {
    let db = db_with::<Place>().await?;
    let tricky = [
        ("Paris", "75001"),
        ("a|b", "c"),
        ("a", "b|c"),
        ("back\\slash", "x\\|y"),
        ("|", "|"),
        ("", ""),
        ("Zürich 🇨🇭", "8001|Kreis 1"),
    ];
    for (city, zip) in tricky {
        db.insert(&place(city, zip)).await?;
    }
    // Distinct field values give distinct keys: no two rows collided.
    let mut ids: Vec<String> = tricky.iter().map(|(c, z)| place(c, z).id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), tricky.len());
    for (city, zip) in tricky {
        let want = place(city, zip);
        let got = db.get::<Place>(&(want.id.clone(),)).await?;
        assert_eq!(got.as_ref(), Some(&want));
        let parsed = Place::parse_id(&want.id);
        assert_eq!(parsed, Some([city.to_owned(), zip.to_owned()]));
    }
    Ok(())
}

#[derive(Model, Debug, Clone, PartialEq)]
#[cassmodel(table = "woerter")]
struct Word {
    #[cassmodel(partition_key)]
    sprache: String,
    #[cassmodel(clustering_key)]
    wort: String,
    bedeutung: String,
}

#[tokio::test]
async fn unicode_everywhere() -> Result<(), Error> {
    let db = db_with::<Word>().await?;
    let words = [
        ("日本語", "猫", "ねこ"),
        ("日本語", "犬", "いぬ"),
        ("ελληνικά", "γάτα", "cat 🐈"),
    ];
    for (sprache, wort, bedeutung) in words {
        db.insert(&Word {
            sprache: sprache.to_owned(),
            wort: wort.to_owned(),
            bedeutung: bedeutung.to_owned(),
        })
        .await?;
    }
    let jp: Vec<Word> = Word::find_by_partition(&db, &("日本語".to_owned(),))
        .try_collect()
        .await?;
    // Text clusters by its UTF-8 bytes: 犬 (E7 8A AC) before 猫 (E7 8C AB).
    let got: Vec<(&str, &str)> = jp
        .iter()
        .map(|w| (w.wort.as_str(), w.bedeutung.as_str()))
        .collect();
    assert_eq!(got, vec![("犬", "いぬ"), ("猫", "ねこ")]);
    Ok(())
}
