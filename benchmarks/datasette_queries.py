"""Datasette's side of the comparison: canned queries over the same SQLite file.

Each canned query answers the same question as a jumelage endpoint with the same
facts, written as a Datasette publisher would write it: one SQL statement, JSON
assembled by SQLite (`json_object`, `json_group_array`), both directions of a
link found through separate lookups, the partner count computed for the page
only.

- `municipality` ~ `GET /api/v1/municipalities/{id}`: the place, its names, its
  partners with level, status, dates and sources, its predecessors.
- `search` ~ `GET /api/v1/municipalities?q=...`: names containing the folded
  term, exact matches first, then prefixes, then the rest, larger places first;
  20 per page with the total and each place's link count.
- `pair` ~ `GET /api/v1/links?country_pair=DE-FR`: the first 50 links between
  places of the two countries, by id, with both places, the sources and the total.
"""

from __future__ import annotations

import json
from pathlib import Path

DATABASE = "jumelage"

MUNICIPALITY = """
with here as (select * from municipality where id = :id),
sides as (
  select l.*, l.b_id as partner_id, 1 as here_is_a from link l where l.a_id = :id
  union all
  select l.*, l.a_id as partner_id, 0 as here_is_a from link l where l.b_id = :id
),
partners as (
  select json_object(
    'link_id', s.id,
    'partner', json_object('id', p.id, 'qid', p.qid, 'name', p.name, 'kind', p.kind,
                           'country', p.country, 'lat', p.lat, 'lon', p.lon),
    'level', s.level, 'status', s.status,
    'status_here', case when s.here_is_a then s.status_a else s.status_b end,
    'status_partner', case when s.here_is_a then s.status_b else s.status_a end,
    'start_date', s.start_date, 'end_date', s.end_date,
    'ended_by_id', s.ended_by_id, 'end_reason', s.end_reason,
    'sources', (select json_group_array(json_object(
                  'source', src.source, 'as_of', src.as_of, 'reference', src.reference,
                  'name_here', case when s.here_is_a then src.name_a else src.name_b end,
                  'name_partner', case when s.here_is_a then src.name_b else src.name_a end))
                from (select * from link_source where link_id = s.id
                      order by as_of, source) src),
    'version', s.version) as item,
    p.id as partner_id
  from sides s join municipality p on p.id = s.partner_id
  order by p.name, s.level
)
select here.id, here.qid, here.name, here.kind, here.country, here.admin_area,
  here.admin_code, here.lat, here.lon, here.population, here.population_year,
  here.population_source, here.geonames_id, here.merged_into_id, here.merged_on,
  here.version,
  (select json_group_object(lang, json(names)) from (
     select lang, json_group_array(name) as names from (
       select lang, name from municipality_name where municipality_id = :id
       order by lang, name)
     group by lang)) as names,
  (select json_group_array(json(item)) from partners) as partners,
  (select count(distinct partner_id) from partners) as partner_count,
  (select json_group_array(json_object('id', s.predecessor_id, 'name', m.name,
                                       'date', s.date, 'source', s.source))
   from succession s join municipality m on m.id = s.predecessor_id
   where s.successor_id = :id) as predecessors
from here
"""

SEARCH = """
with hits as (
  select municipality_id as mid,
    min(case when folded = :q or folded_alt = :q then 0
             when folded like :q || '%' or folded_alt like :q || '%' then 1
             else 2 end) as rank
  from municipality_name
  where folded like '%' || :q || '%' or folded_alt like '%' || :q || '%'
  group by municipality_id
),
page as (
  select m.*, hits.rank, count(*) over () as total
  from municipality m join hits on hits.mid = m.id
  order by hits.rank, coalesce(m.population, -1) desc, m.name, m.id
  limit 20
)
select page.id, page.qid, page.name, page.kind, page.country, page.admin_area,
  page.admin_code, page.lat, page.lon, page.population, page.population_year,
  page.population_source, page.geonames_id, page.merged_into_id, page.merged_on,
  (select count(*) from link where a_id = page.id)
    + (select count(*) from link where b_id = page.id) as partner_count,
  case page.rank when 0 then 'exact' when 1 then 'prefix' else 'contains' end as match,
  page.total
from page
order by page.rank, coalesce(page.population, -1) desc, page.name, page.id
"""

PAIR = """
with matching as (
  select l.*, a.name as a_name, a.qid as a_qid, a.country as a_country,
    b.name as b_name, b.qid as b_qid, b.country as b_country
  from link l
  join municipality a on a.id = l.a_id
  join municipality b on b.id = l.b_id
  where (a.country = :x and b.country = :y) or (a.country = :y and b.country = :x)
),
page as (
  select matching.*, count(*) over () as total from matching order by id limit 50
)
select page.id,
  json_object('id', page.a_id, 'qid', page.a_qid, 'name', page.a_name,
              'country', page.a_country) as a,
  json_object('id', page.b_id, 'qid', page.b_qid, 'name', page.b_name,
              'country', page.b_country) as b,
  page.level, page.status, page.status_a, page.status_b, page.start_date, page.end_date,
  page.ended_by_id, page.end_reason,
  (select json_group_array(json_object('source', source, 'as_of', as_of,
                                       'reference', reference, 'name_a', name_a,
                                       'name_b', name_b))
   from (select * from link_source where link_id = page.id
         order by as_of, source)) as sources,
  page.version, page.total
from page
order by page.id
"""


def write_metadata(path: Path) -> Path:
    queries = {
        "municipality": {"sql": MUNICIPALITY},
        "search": {"sql": SEARCH},
        "pair": {"sql": PAIR},
    }
    path.write_text(json.dumps({"databases": {DATABASE: {"queries": queries}}}, indent=2))
    return path


def municipality_path(municipality_id: int) -> str:
    return f"/{DATABASE}/municipality.json?id={municipality_id}&_shape=array"


def search_path(folded: str) -> str:
    from urllib.parse import quote

    return f"/{DATABASE}/search.json?q={quote(folded)}&_shape=array"


def pair_path(first: str, second: str) -> str:
    return f"/{DATABASE}/pair.json?x={first}&y={second}&_shape=array"
