-- Semicolons inside every kind of string literal; none of them ends a statement.
SELECT 'plain; string', 'it''s; doubled', '\';  -- standard strings: a backslash is just a character
SELECT E'escaped \' quote; and \\ backslash', e'lower\'case;', E'''doubled'';';
SELECT U&'d\0061t\+000061;', U&'!0041;' UESCAPE '!', B'1010', X'1F', N'national;';
SELECT 'one'
  'continued; across lines';
SELECT E'\\'; SELECT 'ends with a backslash\';
SELECT 'multi
line; string', length('
;');
