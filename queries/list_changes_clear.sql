-- Forget the changes the stored list has taken in (those this transaction sees). Parameters: none.
DELETE FROM list_changes;
