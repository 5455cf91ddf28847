-- Keep the codes a mapping file added, so later imports know them. Needs: mapping_codes.
INSERT OR REPLACE INTO code_map SELECT raw_code, code, category, meaning FROM mapping_codes;
