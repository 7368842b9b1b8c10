-- SPDX-License-Identifier: AGPL-3.0-or-later
-- 023: a page of a network's ideas board is kept rendered for everyone with
-- the same view (src/app/practice/pages.c); two small reads go with each
-- request instead.
--
-- practice_idea_by_author: whether the person wrote an idea in this network
-- at a school other than their own now (they see it as its author: their
-- page is then their own, not their colleagues').
--
-- practice_reaction_by_person: which of the page's ideas the person has
-- already reacted to (marked "you said this" in place of the button), read
-- from their own reactions only.
CREATE INDEX practice_idea_by_author ON practice_idea(author_id, network_id);
CREATE INDEX practice_reaction_by_person ON practice_reaction(person_id, idea_id);
