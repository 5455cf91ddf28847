-- Forget the indexed reviews before the minutes folder is read again.
DELETE FROM reviews;
