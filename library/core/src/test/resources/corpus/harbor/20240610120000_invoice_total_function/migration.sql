-- The total of an invoice's lines, for the backfill of "totalCents" and for reports.
CREATE FUNCTION "invoice_total_cents"(invoice_id INTEGER) RETURNS BIGINT
    LANGUAGE plpgsql
    STABLE
AS $$
BEGIN
    RETURN (SELECT coalesce(sum(l."quantity" * l."unitCents"), 0)
            FROM "InvoiceLine" l
            WHERE l."invoiceId" = invoice_id);
END;
$$;
