-- Forget the indexed agreements before the minutes folder is read again.
DELETE FROM agreements;
