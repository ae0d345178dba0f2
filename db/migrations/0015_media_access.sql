-- Who may see an uploaded image (issue 14 item 12, issue 15 "listing photos before approval").

-- The photos of each approved listing's public copy, kept by triggers from listing_public.photos
-- (JSON), so "is this photo public?" is one index lookup per image request.
CREATE TABLE listing_public_photos (
  sha256 TEXT NOT NULL,
  listing_id INTEGER NOT NULL,
  PRIMARY KEY (sha256, listing_id)
) WITHOUT ROWID;
CREATE INDEX listing_public_photos_listing ON listing_public_photos (listing_id);

-- INSERT OR REPLACE (a re-approval) fires no delete trigger: the insert drops the old copy's photos.
CREATE TRIGGER listing_public_photos_insert AFTER INSERT ON listing_public BEGIN
  DELETE FROM listing_public_photos WHERE listing_id = NEW.listing_id;
  INSERT OR IGNORE INTO listing_public_photos (sha256, listing_id)
    SELECT json_extract(value, '$.sha256'), NEW.listing_id FROM json_each(NEW.photos);
END;
CREATE TRIGGER listing_public_photos_update AFTER UPDATE OF photos, listing_id ON listing_public BEGIN
  DELETE FROM listing_public_photos WHERE listing_id = OLD.listing_id;
  INSERT OR IGNORE INTO listing_public_photos (sha256, listing_id)
    SELECT json_extract(value, '$.sha256'), NEW.listing_id FROM json_each(NEW.photos);
END;
CREATE TRIGGER listing_public_photos_delete AFTER DELETE ON listing_public BEGIN
  DELETE FROM listing_public_photos WHERE listing_id = OLD.listing_id;
END;

INSERT OR IGNORE INTO listing_public_photos (sha256, listing_id)
  SELECT json_extract(j.value, '$.sha256'), p.listing_id FROM listing_public p, json_each(p.photos) j;

-- Library images uploaded before they went through the photo pipeline were stored as sent (EXIF
-- and GPS included, never decoded). From now on only re-encoded images are 'image/webp' library
-- files shown in articles; the old ones stay downloadable, as plain files.
UPDATE library_files SET content_type = 'application/octet-stream' WHERE content_type LIKE 'image/%';
