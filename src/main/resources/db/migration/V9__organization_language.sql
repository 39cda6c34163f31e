-- The language vendor pages and mails are written in (unless a vendor has its own) and dates are spelled in.
-- Existing organisations start with their country's language where Portlink writes it, else English.
alter table organization add column language varchar(8);
update organization set language = case
    when country in ('DE', 'AT', 'CH') then 'de'
    when country = 'FR' then 'fr'
    when country in ('ES', 'MX', 'AR', 'CL') then 'es'
    else 'en' end;
alter table organization alter column language set not null;
