"""Stop words of the suggested themes (engage.moderation.suggestions): words that say nothing
about a theme, in French and in English, as written (they are folded — lower case, no
accents — when loaded).

Why a list of our own: no stop-word package is installed (nltk, spaCy, stop-words), and the
English list of scikit-learn holds words that matter in health (“system”, “interest”,
“fire”, “bill”, “found”). These are the function words of both languages — articles,
pronouns, prepositions, conjunctions, the forms of the auxiliary and modal verbs — and a
few adverbs and vague nouns that people write everywhere (“chose”, “thing”). A phrase may
hold one in its middle (“droit à l’oubli”, “quality of life”), never at either end.

French elision: “l’”, “d’”, “qu’”… are cut from the word they precede (`ELISIONS`).
"""

FRENCH = """
le la les un une des du de au aux ce cet cette ces mon ma mes ton ta tes son sa ses notre
nos votre vos leur leurs quel quelle quels quelles chaque certain certaine certains
certaines quelque quelques plusieurs aucun aucune tout toute tous toutes autre autres même
mêmes tel telle tels telles
je me moi tu te toi il elle on nous vous ils elles se soi lui eux y en qui que quoi dont où
lequel laquelle lesquels lesquelles duquel auquel auxquels ceci cela ça celui celle ceux
celles celui-ci celle-ci ceux-ci celles-ci celui-là celle-là chacun chacune rien un
à après avant avec chez contre dans depuis derrière devant durant entre envers hors jusque
malgré par parmi pendant pour sans selon sous sur vers via dès outre
et ou mais donc or ni car si comme lorsque quand puisque quoique parce afin ainsi alors
cependant pourtant toutefois néanmoins sinon
ne pas plus moins très trop peu beaucoup assez aussi encore déjà toujours jamais souvent
parfois bien mieux tant tellement vraiment seulement surtout ici là oui non peut-être plutôt
presque environ enfin puis ensuite aujourd’hui hier demain maintenant vite partout lors
est-ce est-à-dire c’est-à-dire au-delà vis-à-vis là-bas
être suis es est sommes êtes sont étais était étions étiez étaient été étant serai seras sera
serons serez seront serais serait serions seriez seraient sois soit soyons soyez soient fus
fut furent
avoir ai as a avons avez ont avais avait avions aviez avaient eu eue eus ayant aurai auras
aura aurons aurez auront aurais aurait aurions auriez auraient aie aies ait ayons ayez
aient eut a-t-il y-a-t-il
faire fais fait faite faits faisons faites font faisait faisaient fera ferait feraient
pouvoir peux peut pouvons pouvez peuvent pouvait pouvaient pourra pourrait pourraient pu
puisse puissent
devoir dois doit devons devez doivent devait devaient devrait devraient dû
falloir faut fallait faudrait faudra
aller vais vas va allons allez vont allait
vouloir veux veut voulons voulez veulent voulait voudrais voudrait
dire dit dis disent
chose choses fois cas etc exemple genre truc trucs
deux trois quatre cinq six sept huit neuf dix
"""

ENGLISH = """
a an the this that these those my your his her its our their mine yours hers ours theirs
i me myself we us ourselves you yourself yourselves he him himself she herself it itself
they them themselves what which who whom whose one ones
am is are was were be been being have has had having do does did doing done
will would shall should can could may might must cannot
and but if or nor because as until while although though whether so than then
of at by for with about against between into through during before after above below to
from up down in out on off over under again further once upon within without across along
around among toward towards onto per via
here there when where why how all any both each few more most other some such no not only
own same too very just now also ever even much many still yet however rather quite really
s t don doesn didn isn aren wasn weren haven hasn hadn won wouldn couldn shouldn mustn
don’t doesn’t didn’t isn’t aren’t wasn’t weren’t haven’t hasn’t hadn’t won’t wouldn’t
can’t couldn’t shouldn’t mustn’t i’m i’ve i’d i’ll you’re you’ve you’d you’ll he’s she’s
it’s we’re we’ve we’d we’ll they’re they’ve they’d they’ll that’s there’s here’s what’s
who’s let’s
get gets got make makes made go goes went gone take took say said like lot lots thing
things way etc
"""

# Cut from the front of a word before an apostrophe: l’hôpital → hôpital.
ELISIONS = frozenset(["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu",
                      "puisqu", "quoiqu", "quelqu"])
