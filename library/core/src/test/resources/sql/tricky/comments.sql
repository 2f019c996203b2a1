/* A block comment; with a semicolon */
-- A line comment; with a semicolon
SELECT 1 /* inline; /* nested; */ still comment; */ + 1;
SELECT 2 -- trailing; comment
  + 2;
/* /* doubly /* triply */ nested */ ; */ SELECT 3;
SELECT 4 --;
;
SELECT '/* not a comment; ' AS a, '-- nor this;' AS b, "--;" FROM (SELECT 1 AS "--;") t;
SELECT 5*/**/6;
;;
SELECT 7 -- comment at the end without a newline; and no semicolon
