"""The shared cast of DESIGN.md's demo story, across two districts.

Who should see what (the permission matrix in one story):
- maya: a 7th-grade math teacher at Jefferson. Her coaching is hers.
- lena (instructional), omar (technology), sam (content, math), grace (mentor)
  and luis (her department head, who also teaches) coach Maya: each sees what
  the privacy rules give an active coach of hers.
- nia: a coach at Jefferson who does not coach Maya: sees nothing of Maya's.
- dana: Jefferson's principal: counts only, never coaching content.
- priya: Maple Valley's district admin (with an authenticator): counts only.
- ruth: a coach at Lincoln, Maple Valley's other school.
- henry, hilda, otto: a coach, a teacher and an admin in Hillview, the other
  district: they see nothing of Maple Valley, and Maple Valley nothing of theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator

from tandem.accounts.models import User
from tandem.schools.models import CoachingAssignment, District, School, Specialty

from . import factories as f


@dataclass
class Cast:
    maple: District
    jefferson: School
    lincoln: School
    hillview: District
    ridgeway: School
    maya: User
    lena: User
    omar: User
    sam: User
    grace: User
    luis: User
    nia: User
    dana: User
    priya: User
    ruth: User
    henry: User
    hilda: User
    otto: User
    lena_maya: CoachingAssignment

    def everyone(self) -> dict[str, User]:
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


def build_cast() -> Cast:
    maple = f.make_district(name="Maple Valley Unified", slug="maplevalley")
    jefferson = f.make_school(district=maple, name="Jefferson Middle School")
    lincoln = f.make_school(district=maple, name="Lincoln Elementary School")
    hillview = f.make_district(name="Hillview", slug="hillview")
    ridgeway = f.make_school(district=hillview, name="Ridgeway High School")

    maya = f.teacher(jefferson, "Maya Torres")
    lena = f.coach(jefferson, Specialty.INSTRUCTIONAL, "Lena Brooks")
    omar = f.coach(jefferson, Specialty.TECHNOLOGY, "Omar Haddad")
    sam = f.coach(jefferson, Specialty.CONTENT, "Sam Okafor", subject="Mathematics")
    grace = f.coach(jefferson, Specialty.MENTOR, "Grace Kim")
    luis = f.teacher(jefferson, "Luis Ortega")
    f.coach(jefferson, Specialty.DEPARTMENT_HEAD, subject="Mathematics", user=luis)
    nia = f.coach(jefferson, Specialty.INSTRUCTIONAL, "Nia Patel")
    dana = f.leader(jefferson, "Dana Reyes")
    priya = f.district_admin(maple, "Priya Nair")
    Authenticator.objects.create(
        user=priya, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    ruth = f.coach(lincoln, Specialty.INSTRUCTIONAL, "Ruth Abara")
    henry = f.coach(ridgeway, Specialty.INSTRUCTIONAL, "Henry Vance")
    hilda = f.teacher(ridgeway, "Hilda Stone")
    otto = f.district_admin(hillview, "Otto Brandt")
    Authenticator.objects.create(
        user=otto, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )

    lena_maya = f.assign(lena, maya, jefferson, Specialty.INSTRUCTIONAL)
    f.assign(omar, maya, jefferson, Specialty.TECHNOLOGY)
    f.assign(sam, maya, jefferson, Specialty.CONTENT, subject="Mathematics")
    f.assign(grace, maya, jefferson, Specialty.MENTOR)
    f.assign(luis, maya, jefferson, Specialty.DEPARTMENT_HEAD, subject="Mathematics")
    f.assign(henry, hilda, ridgeway, Specialty.INSTRUCTIONAL)
    return Cast(
        maple=maple,
        jefferson=jefferson,
        lincoln=lincoln,
        hillview=hillview,
        ridgeway=ridgeway,
        maya=maya,
        lena=lena,
        omar=omar,
        sam=sam,
        grace=grace,
        luis=luis,
        nia=nia,
        dana=dana,
        priya=priya,
        ruth=ruth,
        henry=henry,
        hilda=hilda,
        otto=otto,
        lena_maya=lena_maya,
    )
