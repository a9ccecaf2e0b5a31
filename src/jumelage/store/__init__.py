"""The only package that speaks SQL: schema, engine, named queries and writes."""
