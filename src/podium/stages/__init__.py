"""Pipeline stages, one module each: segment, notes, speakers, sentences."""
