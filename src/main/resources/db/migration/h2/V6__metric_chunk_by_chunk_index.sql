-- The diagnosis reads, for every layer of a series at once, the last two chunks and the first one. The primary key
-- orders a series' chunks by layer first, so "chunk_index >= ?" or "= 0" across layers would scan every chunk of the
-- series (8,000 for a 200,000-iteration job with 21 layers); by chunk index it is a range of a few rows per layer.
-- One entry per 512 points written; updating a growing chunk's points does not touch it.
create index metric_chunk_by_chunk_index on metric_chunk (job_id, series, chunk_index);
